using System.Text;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Services;

public abstract class ImportServiceTests : DatabaseTests
{
    private ImportService Import => Db.Get<ImportService>();

    private async Task<(Caller Lead, long ProjectId)> ProjectAsync()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        return (lead, await Db.CreateSentimentProjectAsync(lead));
    }

    private async Task<ItemPage> ItemsAsync(Caller lead, long projectId) => await Db.Get<ItemService>().PageAsync(lead, projectId, 1, ItemService.MaxPageSize);

    private static string JsonlLines(int from, int to) =>
        string.Concat(Enumerable.Range(from, to - from + 1).Select(i => $"{{\"id\": \"s-{i}\", \"data\": {{\"text\": \"Streamed review {i}\"}}}}\n"));

    [SkippableFact]
    public async Task Good_csv_and_jsonl_rows_are_imported()
    {
        var (lead, projectId) = await ProjectAsync();
        var csv = TestData.TextFile("reviews.csv", "id,text\nc-1,Great kettle\nc-2,\"Broke, sadly\nafter a week\"\n");
        var jsonl = TestData.TextFile("reviews.jsonl", """
            {"id": "j-1", "data": {"text": "Fine hotel"}, "split": "train", "predictions": [{"model": "m1", "result": {"sentiment": "positive"}, "score": 0.8}]}

            {"id": 7, "text": "No data wrapper"}
            """);

        var report = await Import.ImportAsync(lead, projectId, [csv, jsonl]);

        Assert.Empty(report.Rejected);
        Assert.Equal(4, report.Imported);
        var page = await ItemsAsync(lead, projectId);
        Assert.Equal(4, page.Total);
        Assert.Equal(["c-1", "c-2", "j-1", "7"], page.Items.Select(i => i.ExternalId));
        Assert.Equal("Broke, sadly\nafter a week", page.Items[1].Data["text"]!.GetValue<string>());
        Assert.Equal("train", page.Items[2].Split);
        Assert.All(page.Items, i => Assert.Equal("new", i.Status));
        var annotator = (await Db.CreateAnnotatorsAsync(lead, projectId, 1))[0];
        var queue = Db.Get<QueueService>();
        for (var i = 0; i < 2; i++)
        {
            await queue.SubmitAsync(annotator, projectId, (await queue.NextAsync(annotator, projectId))!.ItemId, TestData.Label("positive"), 1);
        }

        var withPrediction = await queue.NextAsync(annotator, projectId);
        Assert.Equal("j-1", withPrediction?.ExternalId);
        var prediction = Assert.Single(withPrediction!.Predictions);
        Assert.Equal(("m1", 0.8), (prediction.Model, prediction.Score));
    }

    [SkippableFact]
    public async Task Bad_rows_are_reported_with_file_and_line_and_the_good_rows_still_arrive()
    {
        var (lead, projectId) = await ProjectAsync();
        var csv = TestData.TextFile("bad.csv", "id,text\nb-1,fine\nb-2,too,many\nb-3,also fine\n");
        var jsonl = TestData.TextFile("bad.jsonl", "{\"id\": \"x-1\", \"text\": \"ok\"}\n{\"id\": \"x-2\", \"text\": \n{\"id\": \"x-3\", \"text\": \"ok\", \"split\": \"holdout\"}\n");

        var report = await Import.ImportAsync(lead, projectId, [csv, jsonl]);

        Assert.Equal(3, report.Imported);
        Assert.Equal([("bad.csv", 3), ("bad.jsonl", 2), ("bad.jsonl", 3)], report.Rejected.Select(r => (r.Source, r.Line)));
        Assert.Contains("header has 2", report.Rejected[0].Error, StringComparison.Ordinal);
        Assert.Contains("holdout", report.Rejected[2].Error, StringComparison.Ordinal);
        Assert.Equal(["b-1", "b-3", "x-1"], (await ItemsAsync(lead, projectId)).Items.Select(i => i.ExternalId));
    }

    [SkippableFact]
    public async Task A_file_that_is_not_utf8_imports_nothing_while_a_good_file_in_the_same_upload_imports()
    {
        var (lead, projectId) = await ProjectAsync();
        var bytes = Encoding.UTF8.GetBytes("id,text\nu-1,fine\nu-2,caf").Concat(new byte[] { 0xC3, 0x28 }).Concat("\nu-3,fine\n"u8.ToArray()).ToArray();

        var report = await Import.ImportAsync(lead, projectId, [TestData.BytesFile("latin1.csv", bytes), TestData.TextFile("good.csv", "id,text\ng-1,fine\n")]);

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("latin1.csv", 0), (rejection.Source, rejection.Line));
        Assert.Contains("UTF-8", rejection.Error, StringComparison.Ordinal);
        Assert.Equal(["g-1"], (await ItemsAsync(lead, projectId)).Items.Select(i => i.ExternalId));
    }

    [SkippableFact]
    public async Task A_streamed_file_that_turns_out_not_utf8_after_a_written_batch_leaves_nothing_behind()
    {
        var (lead, projectId) = await ProjectAsync();
        var rows = ImportService.BatchSize + 200;
        var head = Encoding.UTF8.GetBytes(JsonlLines(1, rows));
        var upload = new GatedStream(head, [.. "{\"id\": \"bad\", \"text\": \"caf"u8, 0xE9, .. "\"}\n"u8]);
        upload.Open();

        var report = await Import.ImportAsync(lead, projectId, [new ImportFile("stream.jsonl", head.Length + 20, () => upload)]);

        Assert.Equal(0, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("stream.jsonl", 0), (rejection.Source, rejection.Line));
        await using var ctx = await Db.ContextAsync();
        Assert.Equal(0, await ctx.Items.CountAsync(i => i.ProjectId == projectId));
        Assert.Equal(0, await ctx.ImportBatches.CountAsync(b => b.ProjectId == projectId));
        Assert.Equal(0, (await ItemsAsync(lead, projectId)).Total);
    }

    [SkippableFact]
    public async Task An_id_the_project_already_has_is_rejected_with_its_line()
    {
        var (lead, projectId) = await ProjectAsync();
        await Import.ImportAsync(lead, projectId, [TestData.TextFile("first.csv", "id,text\nd-1,one\nd-2,two\n")]);

        var report = await Import.ImportAsync(lead, projectId, [TestData.TextFile("more.csv", "id,text\nd-3,three\nd-2,two again\n")]);

        Assert.Equal(1, report.Imported);
        var rejection = Assert.Single(report.Rejected);
        Assert.Equal(("more.csv", 3), (rejection.Source, rejection.Line));
        Assert.Contains("\"d-2\"", rejection.Error, StringComparison.Ordinal);
        var page = await ItemsAsync(lead, projectId);
        Assert.Equal(["d-1", "d-2", "d-3"], page.Items.Select(i => i.ExternalId));
        Assert.Equal("two", page.Items[1].Data["text"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task A_repeated_id_in_a_file_is_refused_naming_its_first_line_in_the_same_batch_and_batches_later()
    {
        var (lead, projectId) = await ProjectAsync();
        // Line 3 repeats line 1 inside the first batch; the last line repeats line 2 after more than a batch was written.
        var rows = ImportService.BatchSize + 100;
        var lines = JsonlLines(1, 2) + "{\"id\": \"s-1\", \"text\": \"again\"}\n" + JsonlLines(3, rows) + "{\"id\": \"s-2\", \"text\": \"late\"}\n";
        var csv = "id,text\nc-1,one\nc-2,two\nc-1,one again\n";

        var report = await Import.ImportAsync(lead, projectId, [TestData.TextFile("repeats.jsonl", lines), TestData.TextFile("repeats.csv", csv)]);

        Assert.Equal(rows + 2, report.Imported);
        Assert.Equal(
            [("repeats.jsonl", 3, "duplicate id \"s-1\" (first on line 1)"), ("repeats.jsonl", rows + 2, "duplicate id \"s-2\" (first on line 2)"), ("repeats.csv", 4, "duplicate id \"c-1\" (first on line 2)")],
            report.Rejected.Select(r => (r.Source, r.Line, r.Error)));
        await using var ctx = await Db.ContextAsync();
        var kept = await ctx.Items.Where(i => i.ProjectId == projectId && (i.ExternalId == "s-1" || i.ExternalId == "s-2")).OrderBy(i => i.Id).Select(i => i.DataJson).ToListAsync();
        Assert.Equal(["Streamed review 1", "Streamed review 2"], kept.Select(d => System.Text.Json.Nodes.JsonNode.Parse(d)!["text"]!.GetValue<string>()));
    }

    [SkippableFact]
    public async Task Rows_without_the_key_the_schema_reads_are_rejected_naming_the_key()
    {
        var (lead, projectId) = await ProjectAsync();
        var csv = TestData.TextFile("titles.csv", "id,title\nt-1,No text here\n");
        var jsonl = TestData.TextFile("mixed.jsonl", "{\"id\": \"m-1\", \"data\": {\"text\": \"has it\"}}\n{\"id\": \"m-2\", \"data\": {\"body\": \"has not\"}}\n");

        var report = await Import.ImportAsync(lead, projectId, [csv, jsonl]);

        Assert.Equal(1, report.Imported);
        Assert.Equal([("titles.csv", 2), ("mixed.jsonl", 2)], report.Rejected.Select(r => (r.Source, r.Line)));
        Assert.All(report.Rejected, r => Assert.Contains("\"text\"", r.Error, StringComparison.Ordinal));
        Assert.All(report.Rejected, r => Assert.Contains("sentiment", r.Error, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Items_stay_invisible_until_their_file_is_committed()
    {
        var (lead, projectId) = await ProjectAsync();
        var annotator = (await Db.CreateAnnotatorsAsync(lead, projectId, 1))[0];
        var firstPart = ImportService.BatchSize + 5;
        var upload = new GatedStream(Encoding.UTF8.GetBytes(JsonlLines(1, firstPart)), Encoding.UTF8.GetBytes(JsonlLines(firstPart + 1, firstPart + 10)));
        var batchWritten = new BatchWritten();

        var importing = Task.Run(() => Import.ImportAsync(lead, projectId, [new ImportFile("slow.jsonl", 0, () => upload)], batchWritten));
        var first = await Task.WhenAny(batchWritten.Task, importing, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == batchWritten.Task, "the first batch was never written");

        await using (var ctx = await Db.ContextAsync())
        {
            Assert.Equal(ImportService.BatchSize, await ctx.Items.CountAsync(i => i.ProjectId == projectId && i.Pending));
        }

        var during = await ItemsAsync(lead, projectId);
        Assert.Equal(0, during.Total);
        Assert.Empty(during.Items);
        Assert.Null(await Db.Get<QueueService>().NextAsync(annotator, projectId));
        Assert.Equal(0, (await Db.Get<ProjectService>().GetAsync(lead, projectId)).Summary.Items);

        upload.Open();
        var report = await importing;

        Assert.Equal(firstPart + 10, report.Imported);
        Assert.Equal(firstPart + 10, (await ItemsAsync(lead, projectId)).Total);
        Assert.Equal("s-1", (await Db.Get<QueueService>().NextAsync(annotator, projectId))?.ExternalId);
    }

    [SkippableFact]
    public async Task Clean_up_removes_the_pending_items_of_an_import_that_never_finished()
    {
        var (lead, projectId) = await ProjectAsync();
        await Import.ImportAsync(lead, projectId, [TestData.TextFile("done.csv", "id,text\nok-1,kept\n")]);
        var now = Db.Time.GetUtcNow();
        await using (var ctx = await Db.ContextAsync())
        {
            var crashed = new ImportBatch { ProjectId = projectId, Source = "crashed.csv", CreatedAt = now.AddHours(-2) };
            var running = new ImportBatch { ProjectId = projectId, Source = "running.csv", CreatedAt = now.AddMinutes(-10) };
            ctx.ImportBatches.AddRange(crashed, running);
            await ctx.SaveChangesAsync();
            ctx.Items.AddRange(PendingItem(projectId, crashed.Id, "lost-1"), PendingItem(projectId, crashed.Id, "lost-2"), PendingItem(projectId, running.Id, "busy-1"));
            await ctx.SaveChangesAsync();
        }

        var removed = await Import.CleanUpAbandonedAsync(TimeSpan.FromHours(1));

        Assert.Equal(1, removed);
        await using var check = await Db.ContextAsync();
        Assert.Equal(["busy-1", "ok-1"], await check.Items.Where(i => i.ProjectId == projectId).OrderBy(i => i.ExternalId).Select(i => i.ExternalId).ToListAsync());
        Assert.Equal(["done.csv", "running.csv"], await check.ImportBatches.OrderBy(b => b.Source).Select(b => b.Source).ToListAsync());

        Item PendingItem(long project, long batch, string id) => new()
        {
            ProjectId = project,
            ExternalId = id,
            DataJson = "{\"text\": \"half imported\"}",
            Pending = true,
            Open = false,
            ImportId = batch,
            CreatedAt = now,
        };
    }

    [SkippableFact]
    public async Task Clean_up_finishes_publishing_a_file_that_committed_before_a_crash()
    {
        var (lead, projectId) = await ProjectAsync();
        var annotator = (await Db.CreateAnnotatorsAsync(lead, projectId, 1))[0];
        await Import.ImportAsync(lead, projectId, [TestData.TextFile("whole.csv", "id,text\nw-1,first\nw-2,second\nw-3,third\n")]);
        await using (var ctx = await Db.ContextAsync())
        {
            // As a crash leaves it after the commit decision and before the last publishing chunk: the batch is completed,
            // two of its items are still pending.
            await ctx.Items.Where(i => i.ProjectId == projectId && i.ExternalId != "w-1")
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Pending, true).SetProperty(i => i.Open, false));
        }

        Assert.Equal(0, await Import.CleanUpAbandonedAsync(TimeSpan.FromHours(1)));

        await using var check = await Db.ContextAsync();
        Assert.Equal([("w-1", false, true), ("w-2", false, true), ("w-3", false, true)],
            (await check.Items.Where(i => i.ProjectId == projectId).OrderBy(i => i.ExternalId).Select(i => new { i.ExternalId, i.Pending, i.Open }).ToListAsync())
                .Select(i => (i.ExternalId, i.Pending, i.Open)));
        Assert.Equal("w-1", (await Db.Get<QueueService>().NextAsync(annotator, projectId))?.ExternalId);
    }

    [SkippableFact]
    public async Task Only_leads_import()
    {
        var (lead, projectId) = await ProjectAsync();
        var annotator = (await Db.CreateAnnotatorsAsync(lead, projectId, 1))[0];

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Import.ImportAsync(annotator, projectId, [TestData.TextFile("a.csv", TestData.ReviewsCsv(2))]));

        Assert.Equal(ServiceErrorKind.Forbidden, ex.Kind);
        Assert.Equal(0, (await ItemsAsync(lead, projectId)).Total);
    }

    /// <summary>Completes when the import reports its first full batch written (as pending rows).</summary>
    private sealed class BatchWritten : IProgress<ImportProgress>
    {
        private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => done.Task;

        public void Report(ImportProgress value)
        {
            if (value.Imported >= ImportService.BatchSize)
            {
                done.TrySetResult();
            }
        }
    }
}

public sealed class ImportServiceSqliteTests : ImportServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ImportServicePostgresTests : ImportServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
