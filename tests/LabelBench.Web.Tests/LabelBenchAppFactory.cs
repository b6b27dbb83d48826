using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabelBench.Web.Tests;

/// <summary>
/// The real web app in process over a fresh SQLite data folder, with a known admin and no demo projects.
/// One instance is shared by the tests of a class (<c>IClassFixture</c>); tests make their own users and projects.
/// </summary>
public sealed class LabelBenchAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@web-tests.local";
    public const string AdminPassword = "Admin-Passw0rd-1";
    public const string UserPassword = "User-Passw0rd-1";

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "labelbench-web-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LabelBench:DataDir"] = DataDir,
            ["LabelBench:AdminEmail"] = AdminEmail,
            ["LabelBench:AdminPassword"] = AdminPassword,
            ["LabelBench:SeedDemo"] = "false",
            ["LabelBench:Database:Provider"] = "sqlite",
        };

        builder.UseEnvironment("Testing");
        // UseSetting reaches the code that reads configuration while registering services (the data folder);
        // the in-memory source keeps the values on top of appsettings.json for everything read later.
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>Creates a user through the same service the CLI and admins use; returns the user id.</summary>
    public async Task<string> CreateUserAsync(string email, bool admin = false)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        return await users.CreateAsync(Caller.System, email, UserPassword, admin);
    }

    public async Task<string> CreateTokenAsync(string userId) =>
        await Services.GetRequiredService<TokenService>().CreateAsync(userId, "web-tests");

    /// <summary>A client that neither follows redirects nor keeps cookies, so every answer is seen as sent.</summary>
    public HttpClient CreateAnonymousClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public HttpClient CreateApiClient(string token)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A new user (unique email) with a token, and a client that calls the API as them.</summary>
    public async Task<ApiUser> CreateApiUserAsync(string role = "user", bool admin = false)
    {
        var email = $"{role}-{Guid.NewGuid():N}@web-tests.local";
        var id = await CreateUserAsync(email, admin);
        var token = await CreateTokenAsync(id);
        return new ApiUser(id, email, CreateApiClient(token));
    }

    /// <summary>Creates a project over REST as <paramref name="lead"/> and returns its id.</summary>
    public static async Task<long> CreateProjectAsync(HttpClient lead, JsonNode schema, int overlap = 1, string? name = null)
    {
        var response = await lead.PostAsJsonAsync("/api/v1/projects", new { name = name ?? $"Project {Guid.NewGuid():N}", schema, overlap });
        await ApiAssert.StatusAsync(System.Net.HttpStatusCode.Created, response);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["id"]!.GetValue<long>();
    }

    public static async Task AddMemberAsync(HttpClient lead, long projectId, string email, string role)
    {
        var response = await lead.PostAsJsonAsync($"/api/v1/projects/{projectId}/members", new { email, role });
        await ApiAssert.StatusAsync(System.Net.HttpStatusCode.NoContent, response);
    }

    /// <summary>Uploads one file as multipart form data, the way a browser or <c>curl -F</c> does.</summary>
    public static async Task<HttpResponseMessage> ImportAsync(HttpClient client, long projectId, string fileName, string content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/x-ndjson");
        form.Add(file, "files", fileName);
        return await client.PostAsync($"/api/v1/projects/{projectId}/import", form);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            if (Directory.Exists(DataDir))
            {
                Directory.Delete(DataDir, recursive: true);
            }
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the folder is under the temp directory anyway.
        }
    }
}

/// <summary>A test user with a client that sends their personal access token.</summary>
public sealed record ApiUser(string Id, string Email, HttpClient Client);
