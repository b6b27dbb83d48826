using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.Tests.Export;

public class ExportServiceFormatTests
{
    private const string Sentiment = """
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "negative", "neutral"]}]}
        """;

    private const string Boxes = """
        {"fields": [{"name": "objects", "kind": "boxes", "source": "image", "labels": ["car", "person"]}]}
        """;

    private static List<JsonObject> Lines(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    [Fact]
    public async Task Image_formats_read_sizes_and_media_bytes_from_the_store()
    {
        await using var host = await ExportTestHost.CreateAsync();
        var lead = await host.UserAsync("lead@example.org");
        var ann = await host.UserAsync("ann@example.org");
        var project = await host.ProjectAsync(lead, Boxes, 1, "ann@example.org");
        await host.ImportJsonlAsync(lead, project, """
            {"id": "i1", "data": {"image": "images/street-01.png"}, "split": "train"}
            {"id": "i2", "data": {"image": "images/park.png"}, "split": "validation"}
            """);
        var items = await host.ItemIdsAsync(project);
        var mediaDir = host.Get<IOptions<LabelBenchOptions>>().Value.MediaDir;
        foreach (var (id, i) in items.Select((id, i) => (id, i)))
        {
            var bytes = Encoding.ASCII.GetBytes($"fake png {i}");
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            Directory.CreateDirectory(Path.Combine(mediaDir, hash[..2], hash[2..4]));
            await File.WriteAllBytesAsync(Path.Combine(mediaDir, hash[..2], hash[2..4], hash), bytes);
            await using var db = await host.DbAsync();
            await db.Items.Where(x => x.Id == id).ExecuteUpdateAsync(u => u.SetProperty(x => x.MediaHash, hash).SetProperty(x => x.MediaType, "image/png")
                .SetProperty(x => x.Width, 200).SetProperty(x => x.Height, 100));
        }

        await host.SubmitAsync(ann, project, items[0], """{"objects": [{"x": 50, "y": 25, "width": 100, "height": 50, "label": "person"}]}""");
        await host.SubmitAsync(ann, project, items[1], """{"objects": []}""");

        using (var yolo = new ZipArchive(new MemoryStream(await host.ExportAsync(lead, project, ExportRequest.Parse("yolo", "final")))))
        {
            using var image = new StreamReader(yolo.GetEntry("images/train/street-01.png")!.Open());
            Assert.Equal("fake png 0", await image.ReadToEndAsync());
            using var label = new StreamReader(yolo.GetEntry("labels/train/street-01.txt")!.Open());
            Assert.Equal("1 0.500000 0.500000 0.500000 0.500000\n", await label.ReadToEndAsync());
            Assert.NotNull(yolo.GetEntry("labels/validation/park.txt"));
        }

        var coco = JsonNode.Parse(await host.ExportAsync(lead, project, ExportRequest.Parse("coco", "final")))!;
        Assert.Equal([200, 200], coco["images"]!.AsArray().Select(i => i!["width"]!.GetValue<int>()));
        Assert.Single(coco["annotations"]!.AsArray());

        using var voc = new ZipArchive(new MemoryStream(await host.ExportAsync(lead, project, ExportRequest.Parse("voc", "all"))));
        Assert.Contains(voc.Entries, e => e.FullName.StartsWith("Annotations/street-01__annotator-", StringComparison.Ordinal));
        Assert.NotNull(voc.GetEntry("JPEGImages/park.png"));
    }

    [Fact]
    public async Task Dawid_skene_decides_choices_by_reliability_and_ignores_adjudication_rules_of_agreement()
    {
        await using var host = await ExportTestHost.CreateAsync();
        var lead = await host.UserAsync("lead@example.org");
        var a = await host.UserAsync("a@example.org");
        var b = await host.UserAsync("b@example.org");
        var c = await host.UserAsync("c@example.org");
        var project = await host.ProjectAsync(lead, Sentiment, 3, "a@example.org", "b@example.org", "c@example.org");
        var lines = string.Join('\n', Enumerable.Range(1, 12).Select(i => $$$"""{"id": "t{{{i}}}", "data": {"text": "text {{{i}}}"}}"""));
        await host.ImportJsonlAsync(lead, project, lines);
        var items = await host.ItemIdsAsync(project);
        string[] truth = ["positive", "negative", "neutral"];
        for (var i = 0; i < items.Count; i++)
        {
            var label = truth[i % 3];
            // a and b agree with the truth; c always says "positive".
            await host.SubmitAsync(a, project, items[i], $$"""{"sentiment": "{{label}}"}""");
            if (i != 4)
            {
                await host.SubmitAsync(b, project, items[i], $$"""{"sentiment": "{{label}}"}""");
            }

            await host.SubmitAsync(c, project, items[i], """{"sentiment": "positive"}""");
        }

        var ds = Lines(await host.ExportAsync(lead, project, ExportRequest.Parse("jsonl", "dawid-skene")));
        var majority = Lines(await host.ExportAsync(lead, project, ExportRequest.Parse("jsonl", "majority")));

        Assert.Equal(12, ds.Count);
        Assert.All(ds, l => Assert.Equal("dawid-skene", l["finalSource"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => truth[i % 3]), ds.Select(l => l["final"]!["sentiment"]!.GetValue<string>()));
        // Item 5 (index 4) has one "negative" from a and one "positive" from c: no majority, but Dawid–Skene trusts a.
        Assert.DoesNotContain(majority, l => l["id"]!.GetValue<long>() == items[4]);
    }

    [Fact]
    public async Task Filters_select_by_split_label_date_and_annotator()
    {
        await using var host = await ExportTestHost.CreateAsync();
        var lead = await host.UserAsync("lead@example.org");
        var reviewer = await host.UserAsync("rev@example.org");
        var ann = await host.UserAsync("ann@example.org");
        var bob = await host.UserAsync("bob@example.org");
        var project = await host.ProjectAsync(lead, Sentiment, 2, "ann@example.org", "bob@example.org");
        await host.Get<ProjectService>().AddMemberAsync(lead, project, "rev@example.org", Entities.ProjectRole.Reviewer);
        await host.ImportJsonlAsync(lead, project, """
            {"id": "r1", "data": {"text": "a"}, "split": "train"}
            {"id": "r2", "data": {"text": "b"}, "split": "test"}
            {"id": "r3", "data": {"text": "c"}, "split": "train"}
            """);
        var items = await host.ItemIdsAsync(project);
        await host.SubmitAsync(ann, project, items[0], """{"sentiment": "positive"}""");
        await host.SubmitAsync(bob, project, items[0], """{"sentiment": "positive"}""");
        await host.SubmitAsync(ann, project, items[1], """{"sentiment": "negative"}""");
        await host.SubmitAsync(bob, project, items[2], """{"sentiment": "neutral"}""");

        async Task<List<long>> Ids(ExportRequest request, Caller? caller = null) =>
            Lines(await host.ExportAsync(caller ?? lead, project, request)).Select(l => l["id"]!.GetValue<long>()).ToList();

        Assert.Equal([items[0], items[2]], await Ids(ExportRequest.Parse("jsonl", "all", "train", null, null, null, null)));
        Assert.Equal([items[0]], await Ids(ExportRequest.Parse("jsonl", "final", null, "positive", null, null, null)));
        Assert.Equal([items[0], items[1]], await Ids(ExportRequest.Parse("jsonl", "all", null, null, null, null, "ann@example.org")));
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3, (await Ids(ExportRequest.Parse("jsonl", "all", null, null, today, today, null))).Count);
        Assert.Empty(await Ids(ExportRequest.Parse("jsonl", "all", null, null, "2020-01-01", "2020-01-02", null)));

        var byAnn = Lines(await host.ExportAsync(lead, project, ExportRequest.Parse("jsonl", "all", null, null, null, null, "ann@example.org")));
        var pseudonym = byAnn[0]["annotations"]![0]!["annotator"]!.GetValue<string>();
        Assert.All(byAnn, l => Assert.All(l["annotations"]!.AsArray(), x => Assert.Equal(pseudonym, x!["annotator"]!.GetValue<string>())));
        Assert.Equal([items[0], items[1]], await Ids(ExportRequest.Parse("jsonl", "all", null, null, null, null, pseudonym), reviewer));
        var ex = await Assert.ThrowsAsync<ServiceException>(() => host.ExportAsync(reviewer, project, ExportRequest.Parse("jsonl", "all", null, null, null, null, "ann@example.org")));
        Assert.Equal(ServiceErrorKind.Forbidden, ex.Kind);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("hf")]
    [InlineData("parquet")]
    [InlineData("jsonl")]
    public async Task Tabular_formats_export_a_text_project(string format)
    {
        await using var host = await ExportTestHost.CreateAsync();
        var lead = await host.UserAsync("lead@example.org");
        var ann = await host.UserAsync("ann@example.org");
        var project = await host.ProjectAsync(lead, Sentiment, 1, "ann@example.org");
        await host.ImportJsonlAsync(lead, project, """{"id": "r1", "data": {"text": "=HYPERLINK(\"x\")"}}""");
        await host.SubmitAsync(ann, project, (await host.ItemIdsAsync(project))[0], """{"sentiment": "positive"}""");

        var bytes = await host.ExportAsync(lead, project, ExportRequest.Parse(format, "all"));

        Assert.NotEmpty(bytes);
        if (format == "csv")
        {
            var rows = Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, rows.Length);
            Assert.Contains("annotator", rows[0], StringComparison.Ordinal);
            Assert.Contains("'=HYPERLINK", rows[1], StringComparison.Ordinal);
        }
    }
}
