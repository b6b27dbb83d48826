using System.Text;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.ActiveLearning;

public class PredictionImportTests
{
    [Fact]
    public async Task Matches_items_by_id_or_external_id_and_reports_each_refused_line()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync();
        await host.ImportItemsAsync(project, ["""{"id": "r1", "data": {"text": "good"}}""", """{"id": "r2", "data": {"text": "bad"}}"""]);
        var ids = await host.ItemIdsAsync(project);

        var report = await host.ImportPredictionsAsync(project, string.Join("\n",
            $$$"""{"itemId": {{{ids["r1"]}}}, "model": "m-v1", "result": {"sentiment": "positive"}, "score": 0.9}""",
            """{"externalId": "r2", "model": "m-v1", "result": {"sentiment": "negative"}, "scores": {"negative": 0.8, "positive": 0.2}}""",
            """{"externalId": "r9", "model": "m-v1", "result": {"sentiment": "negative"}}""",
            """{"itemId": 987654, "model": "m-v1", "result": {"sentiment": "negative"}}""",
            $$$"""{"itemId": {{{ids["r1"]}}}, "externalId": "r2", "model": "m-v1", "result": {"sentiment": "negative"}}""",
            """{"externalId": "r1", "model": "m-v1", "result": {"sentiment": "great"}}""",
            """{"externalId": "r1", "model": "m-v1", "result": {"sentiment": "positive"}, "score": 2}""",
            """{"externalId": "r2", "model": "m-v2", "result": {"sentiment": "neutral"}, "score": 0.6}"""));

        Assert.Equal(3, report.Imported);
        Assert.Equal([3, 4, 5, 6, 7], report.Rejected.Select(r => r.Line));
        Assert.All(report.Rejected, r => Assert.Equal("predictions.jsonl", r.Source));
        Assert.Contains("externalId \"r9\"", report.Rejected[0].Error, StringComparison.Ordinal);
        Assert.Contains("itemId 987654", report.Rejected[1].Error, StringComparison.Ordinal);
        Assert.Contains("has the external id \"r1\", not \"r2\"", report.Rejected[2].Error, StringComparison.Ordinal);
        Assert.StartsWith("result.sentiment", report.Rejected[3].Error, StringComparison.Ordinal);
        Assert.StartsWith("score must be", report.Rejected[4].Error, StringComparison.Ordinal);

        // Several model versions per item; the newest decides the uncertainty (least confidence by default).
        await using var db = await host.Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        Assert.Equal(["m-v1", "m-v2"], await db.Predictions.Where(p => p.ItemId == ids["r2"]).OrderBy(p => p.Id).Select(p => p.Model).ToListAsync());
        var uncertainty = await db.Items.Where(i => i.ProjectId == project).ToDictionaryAsync(i => i.ExternalId!, i => i.Uncertainty);
        Assert.Equal(0.1, uncertainty["r1"]!.Value, 12);
        Assert.Equal(0.4, uncertainty["r2"]!.Value, 12);
    }

    [Fact]
    public async Task A_file_that_fails_whole_leaves_nothing_behind()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync();
        await host.ImportItemsAsync(project, ["""{"id": "r1", "data": {"text": "good"}}"""]);
        var bytes = Encoding.UTF8.GetBytes("""{"externalId": "r1", "model": "m", "result": {"sentiment": "positive"}, "score": 0.5}""" + "\n{\"externalId\": \"r1\", \"model\": \"x\"}").ToList();
        bytes.Insert(bytes.Count - 3, 0xFF);
        var file = new ImportFile("broken.jsonl", bytes.Count, () => new MemoryStream(bytes.ToArray()));

        var report = await host.Get<PredictionService>().ImportAsync(host.Lead, project, [file]);

        Assert.Equal(0, report.Imported);
        var only = Assert.Single(report.Rejected);
        Assert.Equal(0, only.Line);
        await using var db = await host.Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Predictions.IgnoreQueryFilters().CountAsync());
        Assert.Null(await db.Items.Select(i => i.Uncertainty).SingleAsync());
    }

    [Fact]
    public async Task Only_leads_import_predictions_and_csv_is_refused()
    {
        await using var host = await ModelLoopHost.CreateAsync();
        var project = await host.CreateProjectAsync();
        var bytes = Encoding.UTF8.GetBytes("{}");
        var denied = await Assert.ThrowsAsync<ServiceException>(() => host.Get<PredictionService>().ImportAsync(
            host.Annotator, project, [new ImportFile("p.jsonl", bytes.Length, () => new MemoryStream(bytes))]));
        Assert.Equal(ServiceErrorKind.Forbidden, denied.Kind);

        var report = await host.ImportPredictionsAsync(project, "itemId,model\n1,m", "predictions.csv");
        Assert.Contains("JSONL", Assert.Single(report.Rejected).Error, StringComparison.Ordinal);
    }
}
