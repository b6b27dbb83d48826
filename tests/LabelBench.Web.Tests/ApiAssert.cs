using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Web.Tests;

/// <summary>Assertions on HTTP answers that show the body when the status is not the expected one.</summary>
public static class ApiAssert
{
    public static async Task StatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    /// <summary>Checks an <c>application/problem+json</c> answer with the given status and returns its body.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        await StatusAsync(expected, response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem);
        Assert.Equal((int)expected, problem["status"]?.GetValue<int>());
        return problem;
    }

    public static string Detail(JsonObject problem) => problem["detail"]?.GetValue<string>() ?? string.Empty;
}
