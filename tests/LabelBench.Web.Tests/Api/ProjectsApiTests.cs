using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Web.Tests.Api;

/// <summary>Creating projects, schema validation as a lead sees it, and who may see and change what.</summary>
public sealed class ProjectsApiTests(LabelBenchAppFactory app) : IClassFixture<LabelBenchAppFactory>
{
    [Fact]
    public async Task Creating_a_project_with_a_valid_schema_returns_201_with_its_id()
    {
        var lead = await app.CreateApiUserAsync("lead");

        var response = await lead.Client.PostAsJsonAsync("/api/v1/projects", new { name = "Reviews", schema = TestSchemas.SentimentNode, overlap = 2 });

        await ApiAssert.StatusAsync(HttpStatusCode.Created, response);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        Assert.True(id > 0);
        Assert.EndsWith($"/api/v1/projects/{id}", response.Headers.Location?.ToString(), StringComparison.Ordinal);

        var project = await lead.Client.GetFromJsonAsync<JsonObject>($"/api/v1/projects/{id}");
        Assert.Equal("Reviews", project!["name"]!.GetValue<string>());
        Assert.Equal(2, project["settings"]!["overlap"]!.GetValue<int>());
        Assert.Equal("sentiment", project["schema"]!["fields"]![0]!["name"]!.GetValue<string>());
        Assert.Contains("lead", project["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"fields": [{"name": "topic", "kind": "choices", "source": "text", "options": ["a", "b"]}, {"name": "topic", "kind": "choices", "source": "text", "options": ["c"]}]}""", "duplicate field name \"topic\"")]
    [InlineData("""{"fields": [{"name": "preference", "kind": "pairwise", "source": "prompt", "responses": ["answer_a"]}]}""", "\"preference\".responses")]
    [InlineData("""{"fields": [{"name": "mood", "kind": "feelings", "source": "text"}]}""", "\"mood\".kind")]
    [InlineData("""{"fields": [{"name": "stars", "kind": "rating", "source": "text"}]}""", "\"stars\".max")]
    public async Task Creating_a_project_with_an_invalid_schema_is_a_400_problem_naming_the_field(string schema, string expected)
    {
        var lead = await app.CreateApiUserAsync("lead");

        var response = await lead.Client.PostAsJsonAsync("/api/v1/projects", new { name = "Broken", schema = JsonNode.Parse(schema), overlap = 1 });

        var problem = await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Contains(expected, ApiAssert.Detail(problem), StringComparison.Ordinal);
        Assert.NotEmpty(problem["errors"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"name\": \"Broken\", ")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    public async Task A_body_that_is_not_the_expected_json_is_a_400_problem(string body)
    {
        var lead = await app.CreateApiUserAsync("lead");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await lead.Client.PostAsync("/api/v1/projects", content);

        var problem = await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Contains("JSON", ApiAssert.Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_route_is_a_404_problem()
    {
        var lead = await app.CreateApiUserAsync("lead");

        var response = await lead.Client.GetAsync("/api/v1/projects/not-a-number");

        Assert.Contains("/api/v1/projects/not-a-number", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_project_is_not_created()
    {
        var lead = await app.CreateApiUserAsync("lead");

        var response = await lead.Client.PostAsJsonAsync("/api/v1/projects", new { name = "", schema = TestSchemas.SentimentNode, overlap = 0 });

        var problem = await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Contains("name", ApiAssert.Detail(problem), StringComparison.Ordinal);
        Assert.Contains("overlap", ApiAssert.Detail(problem), StringComparison.Ordinal);
        Assert.Empty((await lead.Client.GetFromJsonAsync<JsonArray>("/api/v1/projects"))!);
    }

    [Fact]
    public async Task A_non_member_gets_404_for_someone_elses_project()
    {
        var owner = await app.CreateApiUserAsync("owner");
        var stranger = await app.CreateApiUserAsync("stranger");
        var id = await LabelBenchAppFactory.CreateProjectAsync(owner.Client, TestSchemas.SentimentNode);

        var response = await stranger.Client.GetAsync($"/api/v1/projects/{id}");

        var problem = await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, response);
        // A private project and a missing one look the same.
        var missing = await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, await stranger.Client.GetAsync("/api/v1/projects/999999"));
        Assert.Equal(ApiAssert.Detail(missing).Replace("999999", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), ApiAssert.Detail(problem));
        Assert.Empty((await stranger.Client.GetFromJsonAsync<JsonArray>("/api/v1/projects"))!);
        await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, await stranger.Client.GetAsync($"/api/v1/projects/{id}/next"));
        await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, await stranger.Client.GetAsync($"/api/v1/projects/{id}/export?format=jsonl"));
    }

    [Fact]
    public async Task An_annotator_may_not_add_members_import_list_items_or_export()
    {
        var lead = await app.CreateApiUserAsync("lead");
        var annotator = await app.CreateApiUserAsync("annotator");
        var other = await app.CreateApiUserAsync("other");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode);
        await LabelBenchAppFactory.AddMemberAsync(lead.Client, id, annotator.Email, "annotator");

        var members = await annotator.Client.PostAsJsonAsync($"/api/v1/projects/{id}/members", new { email = other.Email, role = "lead" });
        var import = await LabelBenchAppFactory.ImportAsync(annotator.Client, id, "items.csv", "id,text\n1,hello\n");
        var export = await annotator.Client.GetAsync($"/api/v1/projects/{id}/export?format=jsonl&source=all");
        var items = await annotator.Client.GetAsync($"/api/v1/projects/{id}/items");

        Assert.Contains("lead", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.Forbidden, members)), StringComparison.Ordinal);
        await ApiAssert.ProblemAsync(HttpStatusCode.Forbidden, import);
        await ApiAssert.ProblemAsync(HttpStatusCode.Forbidden, export);
        await ApiAssert.ProblemAsync(HttpStatusCode.Forbidden, items);
        // Nothing was changed by the refused calls.
        await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, await other.Client.GetAsync($"/api/v1/projects/{id}"));
        var project = await lead.Client.GetFromJsonAsync<JsonObject>($"/api/v1/projects/{id}");
        Assert.Equal(0, project!["progress"]!["items"]!.GetValue<int>());
    }

    [Fact]
    public async Task Adding_a_member_with_an_unknown_email_or_role_is_a_400_naming_it()
    {
        var lead = await app.CreateApiUserAsync("lead");
        var annotator = await app.CreateApiUserAsync("annotator");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode);

        var unknownEmail = await lead.Client.PostAsJsonAsync($"/api/v1/projects/{id}/members", new { email = "nobody@web-tests.local", role = "annotator" });
        var unknownRole = await lead.Client.PostAsJsonAsync($"/api/v1/projects/{id}/members", new { email = annotator.Email, role = "boss" });

        Assert.Contains("nobody@web-tests.local", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, unknownEmail)), StringComparison.Ordinal);
        Assert.Contains("role", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, unknownRole)), StringComparison.Ordinal);
        await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, await annotator.Client.GetAsync($"/api/v1/projects/{id}"));
    }

    [Fact]
    public async Task Items_are_paged_for_leads_with_their_status()
    {
        var lead = await app.CreateApiUserAsync("lead");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode);
        var csv = "id,text\n" + string.Join("\n", Enumerable.Range(1, 5).Select(i => $"item-{i},text {i}")) + "\n";
        await ApiAssert.StatusAsync(HttpStatusCode.OK, await LabelBenchAppFactory.ImportAsync(lead.Client, id, "items.csv", csv));

        var first = await lead.Client.GetFromJsonAsync<JsonObject>($"/api/v1/projects/{id}/items?page=1&pageSize=2");
        var last = await lead.Client.GetFromJsonAsync<JsonObject>($"/api/v1/projects/{id}/items?page=3&pageSize=2");
        var beyond = await lead.Client.GetFromJsonAsync<JsonObject>($"/api/v1/projects/{id}/items?page=4&pageSize=2");

        Assert.Equal(5, first!["total"]!.GetValue<long>());
        Assert.Equal(["item-1", "item-2"], first["items"]!.AsArray().Select(i => i!["externalId"]!.GetValue<string>()));
        Assert.Equal("text 1", first["items"]![0]!["data"]!["text"]!.GetValue<string>());
        Assert.Equal("new", first["items"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(["item-5"], last!["items"]!.AsArray().Select(i => i!["externalId"]!.GetValue<string>()));
        Assert.Empty(beyond!["items"]!.AsArray());
        await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, await lead.Client.GetAsync($"/api/v1/projects/{id}/items?page=0"));
        await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, await lead.Client.GetAsync($"/api/v1/projects/{id}/items?pageSize=100000"));
    }

    [Fact]
    public async Task Export_with_an_unknown_format_is_a_400_naming_the_formats()
    {
        var lead = await app.CreateApiUserAsync("lead");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode);

        var format = await lead.Client.GetAsync($"/api/v1/projects/{id}/export?format=xlsx&source=all");
        var source = await lead.Client.GetAsync($"/api/v1/projects/{id}/export?format=jsonl&source=everything");

        var detail = ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, format));
        Assert.Contains("xlsx", detail, StringComparison.Ordinal);
        Assert.Contains("jsonl", detail, StringComparison.Ordinal);
        Assert.Contains("source", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, source)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_without_files_is_a_400()
    {
        var lead = await app.CreateApiUserAsync("lead");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode);
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "note" } };

        var response = await lead.Client.PostAsync($"/api/v1/projects/{id}/import", empty);

        Assert.Contains("no files", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, response)), StringComparison.Ordinal);
    }
}
