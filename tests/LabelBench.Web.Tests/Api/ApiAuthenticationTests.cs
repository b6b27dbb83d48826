using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Web.Tests.Api;

/// <summary>What answers without a token, and that the API never sends a script to the sign-in page.</summary>
public sealed class ApiAuthenticationTests(LabelBenchAppFactory app) : IClassFixture<LabelBenchAppFactory>
{
    [Fact]
    public async Task Health_answers_200_without_authentication()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync("/health");

        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
    }

    [Fact]
    public async Task The_first_start_uses_the_configured_data_folder()
    {
        using var client = app.CreateAnonymousClient();
        await ApiAssert.StatusAsync(HttpStatusCode.OK, await client.GetAsync("/health"));

        Assert.True(File.Exists(Path.Combine(app.DataDir, "labelbench.db")), $"no database in {app.DataDir}");
    }

    [Fact]
    public async Task OpenApi_document_is_public_and_lists_the_projects_routes()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync("/openapi/v1.json");

        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/projects", paths);
        Assert.Contains("/api/v1/projects/{id}/next", paths);
        Assert.Contains("/api/v1/projects/{id}/items/{itemId}/annotations", paths);
    }

    [Fact]
    public async Task Anonymous_api_call_gets_401_not_a_redirect_to_sign_in()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync("/api/v1/projects");

        Assert.Null(response.Headers.Location);
        var problem = await ApiAssert.ProblemAsync(HttpStatusCode.Unauthorized, response);
        Assert.Contains("Bearer", ApiAssert.Detail(problem), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lb_0000000000000000000000000000000000000000000000")]
    [InlineData("not-a-labelbench-token")]
    public async Task Invalid_token_gets_401(string token)
    {
        using var client = app.CreateApiClient(token);

        var response = await client.GetAsync("/api/v1/projects");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Valid_token_lists_the_callers_projects()
    {
        var user = await app.CreateApiUserAsync();
        var id = await LabelBenchAppFactory.CreateProjectAsync(user.Client, TestSchemas.SentimentNode, name: "Mine");

        var response = await user.Client.GetAsync("/api/v1/projects");

        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        var projects = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var mine = Assert.Single(projects);
        Assert.Equal(id, mine!["id"]!.GetValue<long>());
        Assert.Equal("Mine", mine["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoked_token_gets_401()
    {
        var email = $"revoked-{Guid.NewGuid():N}@web-tests.local";
        var userId = await app.CreateUserAsync(email);
        var tokens = app.Services.GetRequiredService<LabelBench.Data.Services.TokenService>();
        var token = await tokens.CreateAsync(userId, "to revoke");
        using var client = app.CreateApiClient(token);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, await client.GetAsync("/api/v1/projects"));

        var info = Assert.Single(await tokens.ListAsync(userId));
        await tokens.RevokeAsync(userId, info.Id);
        var response = await client.GetAsync("/api/v1/projects");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Basic_authorization_header_is_not_a_token()
    {
        using var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:admin"u8.ToArray()));

        var response = await client.GetAsync("/api/v1/projects");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
