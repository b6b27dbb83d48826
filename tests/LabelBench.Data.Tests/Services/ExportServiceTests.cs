using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;

namespace LabelBench.Data.Tests.Services;

public abstract class ExportServiceTests : DatabaseTests
{
    private ExportService Export => Db.Get<ExportService>();

    /// <summary>
    /// Overlap 2, annotators A and B: e-1 both positive (agreed), e-2 positive vs negative (disagreed),
    /// e-3 only A so far (not yet decided), e-4 nobody.
    /// </summary>
    private async Task<(Caller Lead, long ProjectId, Caller A, Caller B)> LabelledProjectAsync()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projectId = await Db.CreateSentimentProjectAsync(lead, overlap: 2);
        var report = await Db.Get<ImportService>().ImportAsync(lead, projectId, [TestData.TextFile("items.csv",
            "id,text\ne-1,\"=SUM(1,2)\"\ne-2,Mixed feelings\ne-3,Half done\ne-4,Untouched\n")]);
        Assert.Equal(4, report.Imported);
        var annotators = await Db.CreateAnnotatorsAsync(lead, projectId, 2);
        var (a, b) = (annotators[0], annotators[1]);
        var queue = Db.Get<QueueService>();
        var ids = (await Db.Get<ItemService>().PageAsync(lead, projectId, 1, 10)).Items.ToDictionary(i => i.ExternalId!, i => i.Id);
        await queue.SubmitAsync(a, projectId, ids["e-1"], TestData.Label("positive"), 100);
        await queue.SubmitAsync(b, projectId, ids["e-1"], TestData.Label("positive"), 200);
        await queue.SubmitAsync(a, projectId, ids["e-2"], TestData.Label("positive"), 100);
        await queue.SubmitAsync(b, projectId, ids["e-2"], TestData.Label("negative"), 200);
        await queue.SubmitAsync(a, projectId, ids["e-3"], TestData.Label("neutral"), 100);
        return (lead, projectId, a, b);
    }

    private async Task<string> ExportAsync(Caller caller, long projectId, string format, string source)
    {
        var request = ExportRequest.Parse(format, source);
        await Export.PrepareAsync(caller, projectId, request);
        using var output = new MemoryStream();
        await Export.WriteAsync(caller, projectId, request, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static List<JsonObject> Lines(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [SkippableFact]
    public async Task Jsonl_export_carries_the_submitted_labels_under_pseudonyms()
    {
        var (lead, projectId, a, b) = await LabelledProjectAsync();

        var text = await ExportAsync(lead, projectId, "jsonl", "all");

        var lines = Lines(text);
        Assert.Equal(["e-1", "e-2", "e-3", "e-4"], lines.Select(l => l["externalId"]!.GetValue<string>()));
        var first = lines[0];
        Assert.Equal("=SUM(1,2)", first["data"]!["text"]!.GetValue<string>());
        var annotations = first["annotations"]!.AsArray().Select(x => x!.AsObject()).ToList();
        Assert.Equal(["positive", "positive"], annotations.Select(x => x["result"]!["sentiment"]!.GetValue<string>()));
        Assert.Equal([100L, 200L], annotations.Select(x => x["timeSpentMs"]!.GetValue<long>()));
        Assert.Equal("positive", first["final"]!["sentiment"]!.GetValue<string>());
        Assert.Equal("agreement", first["finalSource"]!.GetValue<string>());
        Assert.Equal(["positive", "negative"], lines[1]["annotations"]!.AsArray().Select(x => x!["result"]!["sentiment"]!.GetValue<string>()));
        Assert.Null(lines[1]["final"]);
        Assert.Null(lines[2]["final"]);
        Assert.Equal("none", lines[2]["finalSource"]!.GetValue<string>());
        Assert.Empty(lines[3]["annotations"]!.AsArray());

        var names = lines.SelectMany(l => l["annotations"]!.AsArray()).Select(x => x!["annotator"]!.GetValue<string>()).ToList();
        Assert.All(names, n => Assert.Matches("^annotator-[0-9a-f]{6}$", n));
        Assert.Equal(2, names.Distinct().Count());
        Assert.Equal(names[0], names[2]); // the same person keeps one pseudonym across items
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);
        Assert.DoesNotContain(a.UserId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(b.UserId, text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_items_annotations_are_exported_in_the_order_they_were_submitted()
    {
        // Five annotators: their user ids (random) almost surely sort in another order than their submissions.
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projectId = await Db.CreateSentimentProjectAsync(lead, overlap: 5);
        await Db.Get<ImportService>().ImportAsync(lead, projectId, [TestData.TextFile("items.csv", "id,text\no-1,One\no-2,Two\n")]);
        var annotators = await Db.CreateAnnotatorsAsync(lead, projectId, 5);
        var queue = Db.Get<QueueService>();
        var ids = (await Db.Get<ItemService>().PageAsync(lead, projectId, 1, 10)).Items.Select(i => i.Id).ToList();
        for (var i = 0; i < annotators.Length; i++)
        {
            foreach (var item in ids)
            {
                await queue.SubmitAsync(annotators[i], projectId, item, TestData.Label("neutral"), (i + 1) * 100);
            }
        }

        var lines = Lines(await ExportAsync(lead, projectId, "jsonl", "all"));

        Assert.All(lines, line => Assert.Equal([100L, 200L, 300L, 400L, 500L], line["annotations"]!.AsArray().Select(a => a!["timeSpentMs"]!.GetValue<long>())));
    }

    [SkippableFact]
    public async Task Final_export_has_only_items_whose_annotators_agreed()
    {
        var (lead, projectId, _, _) = await LabelledProjectAsync();

        var lines = Lines(await ExportAsync(lead, projectId, "jsonl", "final"));

        // e-2 is a disagreement, e-3 has one of its two annotations: neither has a final label yet.
        var only = Assert.Single(lines);
        Assert.Equal("e-1", only["externalId"]!.GetValue<string>());
        Assert.Equal("positive", only["final"]!["sentiment"]!.GetValue<string>());
        Assert.False(only.ContainsKey("annotations"));
    }

    [SkippableFact]
    public async Task An_item_that_dynamic_overlap_opened_for_more_annotators_is_final_only_once_it_has_them_all()
    {
        // Unanimous, overlap 2, up to 4 annotators: A and B disagree (a third place opens), C agrees with A but B
        // still disagrees (a fourth opens). Then B's annotation is sent back: A and C agree, two annotations reach
        // the overlap, but the item asked for four and has two: it is not final.
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projects = Db.Get<ProjectService>();
        var projectId = await projects.CreateAsync(lead, new ProjectDraft("Reviews", TestData.SentimentSchema, Overlap: 2, MaxOverlap: 4));
        await projects.UpdateSettingsAsync(lead, projectId, new ProjectSettingsUpdate { AgreementRule = "unanimous" });
        await Db.Get<ImportService>().ImportAsync(lead, projectId, [TestData.TextFile("items.csv", "id,text\nd-1,Hard to say\nd-2,Clear\n")]);
        var annotators = await Db.CreateAnnotatorsAsync(lead, projectId, 3);
        var (a, b, c) = (annotators[0], annotators[1], annotators[2]);
        var ids = (await Db.Get<ItemService>().PageAsync(lead, projectId, 1, 10)).Items.ToDictionary(i => i.ExternalId!, i => i.Id);
        var queue = Db.Get<QueueService>();
        await queue.SubmitAsync(a, projectId, ids["d-1"], TestData.Label("positive"), 100);
        await queue.SubmitAsync(b, projectId, ids["d-1"], TestData.Label("negative"), 100);
        await queue.SubmitAsync(c, projectId, ids["d-1"], TestData.Label("positive"), 100);
        await queue.SubmitAsync(a, projectId, ids["d-2"], TestData.Label("neutral"), 100);
        await queue.SubmitAsync(b, projectId, ids["d-2"], TestData.Label("neutral"), 100);
        await using (var db = await Db.ContextAsync())
        {
            Assert.Equal(2, db.Items.Single(i => i.Id == ids["d-1"]).ExtraOverlap);
        }

        var bOnFirst = Lines(await ExportAsync(lead, projectId, "jsonl", "all"))[0]["annotations"]!.AsArray()[1]!["id"]!.GetValue<long>();
        await Db.Get<ReviewService>().SendBackAsync(lead, projectId, ids["d-1"], bOnFirst, "Read it again");

        var all = Lines(await ExportAsync(lead, projectId, "jsonl", "all"));
        Assert.Equal(["positive", "positive"], all[0]["annotations"]!.AsArray().Select(x => x!["result"]!["sentiment"]!.GetValue<string>()));
        Assert.Null(all[0]["final"]);
        Assert.Equal("none", all[0]["finalSource"]!.GetValue<string>());
        var final = Assert.Single(Lines(await ExportAsync(lead, projectId, "jsonl", "final")));
        Assert.Equal("d-2", final["externalId"]!.GetValue<string>());
        await using (var db = await Db.ContextAsync())
        {
            Assert.False(db.Items.Single(i => i.Id == ids["d-1"]).Final);
        }
    }

    [SkippableFact]
    public async Task Csv_export_neutralises_a_cell_that_starts_with_a_formula()
    {
        var (lead, projectId, _, _) = await LabelledProjectAsync();

        // One row per item with its final label (source=all writes one row per annotation instead).
        var csv = await ExportAsync(lead, projectId, "csv", "final");

        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,externalId,split,text,sentiment,finalSource", rows[0]);
        Assert.Equal(2, rows.Length);
        Assert.Contains("\"'=SUM(1,2)\"", rows[1], StringComparison.Ordinal);
        Assert.EndsWith(",positive,agreement", rows[1], StringComparison.Ordinal);
        Assert.DoesNotContain(",=", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"=", csv, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Annotators_cannot_export_and_reviewers_can()
    {
        var (lead, projectId, a, _) = await LabelledProjectAsync();
        var reviewer = await Db.CreateUserAsync("reviewer@test.local");
        await Db.AddMembersAsync(lead, projectId, ProjectRole.Reviewer, reviewer);
        var request = ExportRequest.Parse("jsonl", "all");

        var prepare = await Assert.ThrowsAsync<ServiceException>(() => Export.PrepareAsync(a, projectId, request));
        using var output = new MemoryStream();
        var write = await Assert.ThrowsAsync<ServiceException>(() => Export.WriteAsync(a, projectId, request, output));

        Assert.Equal(ServiceErrorKind.Forbidden, prepare.Kind);
        Assert.Equal(ServiceErrorKind.Forbidden, write.Kind);
        Assert.Equal(0, output.Length);
        Assert.Equal(4, Lines(await ExportAsync(reviewer, projectId, "jsonl", "all")).Count);
    }

    [SkippableFact]
    public async Task An_unknown_format_or_source_is_refused_naming_the_option()
    {
        var format = Assert.Throws<ServiceException>(() => ExportRequest.Parse("xlsx", "all"));
        var source = Assert.Throws<ServiceException>(() => ExportRequest.Parse("jsonl", "best"));

        Assert.Equal((ServiceErrorKind.Invalid, "format"), (format.Kind, Assert.Single(format.Errors).Path));
        Assert.Equal((ServiceErrorKind.Invalid, "source"), (source.Kind, Assert.Single(source.Errors).Path));
        await Task.CompletedTask;
    }
}

public sealed class ExportServiceSqliteTests : ExportServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ExportServicePostgresTests : ExportServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
