using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Web.Tests.Api;

/// <summary>
/// The loop a team runs over REST: a lead creates a project, adds an annotator and imports items; the annotator
/// takes items, submits or skips them; the lead downloads the labels.
/// </summary>
public sealed class AnnotationLoopTests(LabelBenchAppFactory app) : IClassFixture<LabelBenchAppFactory>
{
    private sealed record Team(ApiUser Lead, ApiUser Annotator, long ProjectId);

    private async Task<Team> TeamWithItemsAsync(string csv)
    {
        var lead = await app.CreateApiUserAsync("lead");
        var annotator = await app.CreateApiUserAsync("annotator");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode, overlap: 1);
        await LabelBenchAppFactory.AddMemberAsync(lead.Client, id, annotator.Email, "annotator");
        var import = await LabelBenchAppFactory.ImportAsync(lead.Client, id, "items.csv", csv);
        await ApiAssert.StatusAsync(HttpStatusCode.OK, import);
        return new Team(lead, annotator, id);
    }

    private static async Task<JsonObject> NextAsync(HttpClient client, long projectId)
    {
        var response = await client.GetAsync($"/api/v1/projects/{projectId}/next");
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, long projectId, long itemId, JsonNode result, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/projects/{projectId}/items/{itemId}/annotations")
        {
            Content = JsonContent.Create(new { result, timeSpentMs = 1234 }),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task Lead_imports_annotator_labels_and_the_lead_exports_the_labels()
    {
        var lead = await app.CreateApiUserAsync("lead");
        var annotator = await app.CreateApiUserAsync("annotator");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode, overlap: 1);
        await LabelBenchAppFactory.AddMemberAsync(lead.Client, id, annotator.Email, "annotator");

        // Import: the row without text is refused with its line; the others arrive.
        var import = await LabelBenchAppFactory.ImportAsync(lead.Client, id, "reviews.csv", "id,text\nr1,Great phone\nr2,too,many\nr3,Broke after a day\n");
        await ApiAssert.StatusAsync(HttpStatusCode.OK, import);
        var report = (await import.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, report["imported"]!.GetValue<int>());
        var rejected = Assert.Single(report["rejected"]!.AsArray());
        Assert.Equal("reviews.csv", rejected!["source"]!.GetValue<string>());
        Assert.Equal(3, rejected["line"]!.GetValue<int>());
        Assert.Contains("3 fields", rejected["error"]!.GetValue<string>(), StringComparison.Ordinal);

        // The annotator's first item, in import order.
        var first = await NextAsync(annotator.Client, id);
        var firstId = first["itemId"]!.GetValue<long>();
        Assert.Equal("Great phone", first["data"]!["text"]!.GetValue<string>());
        Assert.True(first["leaseExpiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);
        // Asking again (a second tab) gives the same item.
        Assert.Equal(firstId, (await NextAsync(annotator.Client, id))["itemId"]!.GetValue<long>());

        // Submit; a retry with the same idempotency key is answered with the stored annotation.
        var label = JsonNode.Parse("""{"sentiment": "positive"}""")!;
        var created = await SubmitAsync(annotator.Client, id, firstId, label, "key-1");
        await ApiAssert.StatusAsync(HttpStatusCode.Created, created);
        var createdBody = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var retry = await SubmitAsync(annotator.Client, id, firstId, label, "key-1");
        await ApiAssert.StatusAsync(HttpStatusCode.OK, retry);
        Assert.Equal(createdBody["id"]!.GetValue<long>(), (await retry.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
        var again = await SubmitAsync(annotator.Client, id, firstId, label);
        Assert.Contains("already submitted", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.Conflict, again)), StringComparison.Ordinal);

        // The second item: an invalid label is refused naming the field, then the annotator skips it.
        var second = await NextAsync(annotator.Client, id);
        var secondId = second["itemId"]!.GetValue<long>();
        Assert.NotEqual(firstId, secondId);
        Assert.Equal("Broke after a day", second["data"]!["text"]!.GetValue<string>());
        var invalid = await SubmitAsync(annotator.Client, id, secondId, JsonNode.Parse("""{"sentiment": "furious"}""")!);
        var problem = await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, invalid);
        Assert.Contains("sentiment", ApiAssert.Detail(problem), StringComparison.Ordinal);
        Assert.Contains("furious", ApiAssert.Detail(problem), StringComparison.Ordinal);
        Assert.Equal("sentiment", problem["errors"]![0]!["path"]!.GetValue<string>());
        var skip = await annotator.Client.PostAsync($"/api/v1/projects/{id}/items/{secondId}/skip", null);
        await ApiAssert.StatusAsync(HttpStatusCode.NoContent, skip);

        // Nothing is left for this annotator.
        var none = await annotator.Client.GetAsync($"/api/v1/projects/{id}/next");
        await ApiAssert.StatusAsync(HttpStatusCode.NoContent, none);

        // The lead sees progress and downloads the label.
        var project = (await lead.Client.GetFromJsonAsync<JsonObject>($"/api/v1/projects/{id}"))!;
        Assert.Equal(2, project["progress"]!["items"]!.GetValue<int>());
        Assert.Equal(1, project["progress"]!["submitted"]!.GetValue<int>());
        Assert.Equal(1, project["progress"]!["complete"]!.GetValue<int>());

        var jsonl = await lead.Client.GetAsync($"/api/v1/projects/{id}/export?format=jsonl&source=all");
        await ApiAssert.StatusAsync(HttpStatusCode.OK, jsonl);
        Assert.Equal("application/x-ndjson", jsonl.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".jsonl", jsonl.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = (await jsonl.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(2, lines.Count);
        var labelled = Assert.Single(lines, l => l.ToJsonString().Contains("Great phone", StringComparison.Ordinal));
        Assert.Contains("\"positive\"", labelled.ToJsonString(), StringComparison.Ordinal);
        var skipped = Assert.Single(lines, l => l.ToJsonString().Contains("Broke after a day", StringComparison.Ordinal));
        Assert.DoesNotContain("positive", skipped.ToJsonString(), StringComparison.Ordinal);

        var csv = await lead.Client.GetAsync($"/api/v1/projects/{id}/export?format=csv&source=all");
        await ApiAssert.StatusAsync(HttpStatusCode.OK, csv);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.Contains("Great phone", csvText, StringComparison.Ordinal);
        Assert.Contains("positive", csvText, StringComparison.Ordinal);

        var unknown = await lead.Client.GetAsync($"/api/v1/projects/{id}/export?format=pdf");
        await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, unknown);
    }

    [Fact]
    public async Task Each_item_goes_to_overlap_distinct_annotators()
    {
        var lead = await app.CreateApiUserAsync("lead");
        var a = await app.CreateApiUserAsync("a");
        var b = await app.CreateApiUserAsync("b");
        var c = await app.CreateApiUserAsync("c");
        var id = await LabelBenchAppFactory.CreateProjectAsync(lead.Client, TestSchemas.SentimentNode, overlap: 2);
        foreach (var member in new[] { a, b, c })
        {
            await LabelBenchAppFactory.AddMemberAsync(lead.Client, id, member.Email, "annotator");
        }

        await ApiAssert.StatusAsync(HttpStatusCode.OK, await LabelBenchAppFactory.ImportAsync(lead.Client, id, "one.csv", "text\nonly item\n"));

        var itemA = (await NextAsync(a.Client, id))["itemId"]!.GetValue<long>();
        var itemB = (await NextAsync(b.Client, id))["itemId"]!.GetValue<long>();
        Assert.Equal(itemA, itemB);
        // Both places are leased: a third annotator gets nothing.
        await ApiAssert.StatusAsync(HttpStatusCode.NoContent, await c.Client.GetAsync($"/api/v1/projects/{id}/next"));
        await ApiAssert.StatusAsync(HttpStatusCode.Created, await SubmitAsync(a.Client, id, itemA, JsonNode.Parse("""{"sentiment": "neutral"}""")!));
        await ApiAssert.StatusAsync(HttpStatusCode.NoContent, await a.Client.GetAsync($"/api/v1/projects/{id}/next"));
        // b skips and frees the place for c.
        await ApiAssert.StatusAsync(HttpStatusCode.NoContent, await b.Client.PostAsync($"/api/v1/projects/{id}/items/{itemB}/skip", null));
        Assert.Equal(itemA, (await NextAsync(c.Client, id))["itemId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_missing_required_label_is_a_400_naming_the_field()
    {
        var team = await TeamWithItemsAsync("text\nhello\n");
        var item = (await NextAsync(team.Annotator.Client, team.ProjectId))["itemId"]!.GetValue<long>();

        var empty = await SubmitAsync(team.Annotator.Client, team.ProjectId, item, new JsonObject());
        var unknownField = await SubmitAsync(team.Annotator.Client, team.ProjectId, item, JsonNode.Parse("""{"sentiment": "positive", "topic": "x"}""")!);

        var problem = await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, empty);
        Assert.Contains("sentiment", ApiAssert.Detail(problem), StringComparison.Ordinal);
        Assert.Contains("required", ApiAssert.Detail(problem), StringComparison.Ordinal);
        Assert.Contains("topic", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.BadRequest, unknownField)), StringComparison.Ordinal);
        // Refused submissions leave the item open for the annotator.
        Assert.Equal(item, (await NextAsync(team.Annotator.Client, team.ProjectId))["itemId"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_submitted_item_cannot_be_skipped_and_a_skipped_one_cannot_be_submitted()
    {
        var team = await TeamWithItemsAsync("text\nfirst\nsecond\n");
        var first = (await NextAsync(team.Annotator.Client, team.ProjectId))["itemId"]!.GetValue<long>();
        await ApiAssert.StatusAsync(HttpStatusCode.Created, await SubmitAsync(team.Annotator.Client, team.ProjectId, first, JsonNode.Parse("""{"sentiment": "negative"}""")!));
        var second = (await NextAsync(team.Annotator.Client, team.ProjectId))["itemId"]!.GetValue<long>();
        await ApiAssert.StatusAsync(HttpStatusCode.NoContent, await team.Annotator.Client.PostAsync($"/api/v1/projects/{team.ProjectId}/items/{second}/skip", null));

        var skipSubmitted = await team.Annotator.Client.PostAsync($"/api/v1/projects/{team.ProjectId}/items/{first}/skip", null);
        var submitSkipped = await SubmitAsync(team.Annotator.Client, team.ProjectId, second, JsonNode.Parse("""{"sentiment": "negative"}""")!);

        await ApiAssert.ProblemAsync(HttpStatusCode.Conflict, skipSubmitted);
        await ApiAssert.ProblemAsync(HttpStatusCode.Conflict, submitSkipped);
    }

    [Fact]
    public async Task An_item_of_another_project_is_not_found()
    {
        var team = await TeamWithItemsAsync("text\nmine\n");
        var other = await TeamWithItemsAsync("text\ntheirs\n");
        var theirs = (await NextAsync(other.Annotator.Client, other.ProjectId))["itemId"]!.GetValue<long>();

        var response = await SubmitAsync(team.Annotator.Client, team.ProjectId, theirs, JsonNode.Parse("""{"sentiment": "positive"}""")!);

        await ApiAssert.ProblemAsync(HttpStatusCode.NotFound, response);
    }

    [Fact]
    public async Task A_lead_who_is_not_an_annotator_gets_403_from_the_queue()
    {
        var team = await TeamWithItemsAsync("text\nhello\n");

        var response = await team.Lead.Client.GetAsync($"/api/v1/projects/{team.ProjectId}/next");

        Assert.Contains("annotator", ApiAssert.Detail(await ApiAssert.ProblemAsync(HttpStatusCode.Forbidden, response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_with_a_broken_file_imports_nothing_from_it()
    {
        var team = await TeamWithItemsAsync("text\nhello\n");

        var response = await LabelBenchAppFactory.ImportAsync(team.Lead.Client, team.ProjectId, "items.xlsx", "not a spreadsheet");

        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(0, report["imported"]!.GetValue<int>());
        Assert.Contains(".xlsx", Assert.Single(report["rejected"]!.AsArray())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var project = (await team.Lead.Client.GetFromJsonAsync<JsonObject>($"/api/v1/projects/{team.ProjectId}"))!;
        Assert.Equal(1, project["progress"]!["items"]!.GetValue<int>());
    }
}
