using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Core.Export;

namespace LabelBench.Core.Tests.Export;

public class JsonlExporterTests
{
    private static async Task<byte[]> ExportAsync(ExportSource source, List<ExportItem>? items = null)
    {
        using var stream = new MemoryStream();
        await JsonlExporter.WriteAsync(ExportSamples.Stream(items ?? ExportSamples.Items()), stream, new ExportOptions { Source = source });
        return stream.ToArray();
    }

    [Fact]
    public async Task Same_input_gives_the_same_bytes()
    {
        var first = await ExportAsync(ExportSource.All);
        var second = await ExportAsync(ExportSource.All);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Line_has_keys_in_a_fixed_order_and_invariant_formatting()
    {
        var text = Encoding.UTF8.GetString(await ExportAsync(ExportSource.All));

        var firstLine = text.Split('\n')[0];
        Assert.Equal(
            """{"id":1,"externalId":"a1","data":{"text":"Café “quoted”, with comma","image":"img/1.png"},"split":"train","annotations":[{"id":10,"annotator":"annotator-3f9a2c","schemaVersion":2,"status":"submitted","result":{"sentiment":"pos","topics":["tech","sport"]},"timeSpentMs":1200,"submittedAt":"2026-03-04T03:06:07.890Z"},{"id":11,"annotator":"annotator-0b1c2d","schemaVersion":2,"status":"submitted","result":{"sentiment":"pos"},"timeSpentMs":800,"submittedAt":"2026-03-04T03:07:07.890Z"}],"final":{"sentiment":"pos","topics":["tech","sport"],"quality":4,"order":[2,0,1],"preference":{"choice":"A","strength":2}},"finalSource":"agreement"}""",
            firstLine);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_line_parses_back_to_its_item()
    {
        var items = ExportSamples.Items();
        var lines = Encoding.UTF8.GetString(await ExportAsync(ExportSource.All)).TrimEnd('\n').Split('\n');

        Assert.Equal(items.Count, lines.Length);
        for (var i = 0; i < items.Count; i++)
        {
            var o = JsonNode.Parse(lines[i])!.AsObject();
            Assert.Equal(items[i].ItemId, o["id"]!.GetValue<long>());
            Assert.Equal(items[i].ExternalId, o["externalId"]?.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(items[i].Data, o["data"]));
            Assert.Equal(items[i].Split, o["split"]?.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(items[i].FinalResult, o["final"]));
            Assert.Equal(items[i].FinalSource, o["finalSource"]!.GetValue<string>());
            var annotations = o["annotations"]!.AsArray();
            Assert.Equal(items[i].Annotations.Count, annotations.Count);
            for (var j = 0; j < annotations.Count; j++)
            {
                Assert.True(JsonNode.DeepEquals(items[i].Annotations[j].Result, annotations[j]!["result"]));
                Assert.Equal(items[i].Annotations[j].SubmittedAt, DateTimeOffset.Parse(annotations[j]!["submittedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public async Task Item_without_final_has_null_final()
    {
        var lines = Encoding.UTF8.GetString(await ExportAsync(ExportSource.All)).Split('\n');

        var second = JsonNode.Parse(lines[1])!.AsObject();
        Assert.Null(second["final"]);
        Assert.True(second.ContainsKey("final"));
        Assert.Null(second["externalId"]);
        Assert.Null(second["split"]);
    }

    [Theory]
    [InlineData(ExportSource.Final)]
    [InlineData(ExportSource.Majority)]
    public async Task Final_export_has_only_items_with_a_final_result_and_no_annotations(ExportSource source)
    {
        var lines = Encoding.UTF8.GetString(await ExportAsync(source)).TrimEnd('\n').Split('\n');

        Assert.Equal([1L, 3L], lines.Select(l => JsonNode.Parse(l)!["id"]!.GetValue<long>()));
        Assert.All(lines, l => Assert.False(JsonNode.Parse(l)!.AsObject().ContainsKey("annotations")));
    }

    [Fact]
    public async Task Returns_the_number_of_items_written_and_leaves_the_stream_open()
    {
        using var stream = new MemoryStream();

        var written = await JsonlExporter.WriteAsync(ExportSamples.Stream(ExportSamples.Items()), stream, new ExportOptions { Source = ExportSource.Final });

        Assert.Equal(2, written);
        Assert.True(stream.CanWrite);
    }

    [Fact]
    public async Task Large_exports_are_written_whole()
    {
        var many = Enumerable.Range(0, 3000).Select(i => ExportSamples.Items()[0] with { ItemId = i }).ToList();

        var lines = Encoding.UTF8.GetString(await ExportAsync(ExportSource.All, many)).TrimEnd('\n').Split('\n');

        Assert.Equal(3000, lines.Length);
        Assert.Equal(2999, JsonNode.Parse(lines[^1])!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Empty_export_is_an_empty_file()
    {
        Assert.Empty(await ExportAsync(ExportSource.All, []));
    }
}
