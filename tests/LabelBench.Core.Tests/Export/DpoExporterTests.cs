using System.Text.Json.Nodes;
using LabelBench.Core.Export;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class DpoExporterTests
{
    private const string Data = """{"prompt": "Capital of Australia?", "response_a": "Canberra", "response_b": "Sydney", "r0": "ok", "r1": "bad", "r2": "best"}""";

    private static async Task<List<JsonObject>> ExportAsync(List<ExportItem> items, ExportSource source = ExportSource.Final)
    {
        var text = Utf8Text(await ExportFormatSamples.ExportAsync("dpo", items, new ExportOptions { Source = source, Schema = Preference }));
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    [Fact]
    public async Task Pairwise_A_prefers_the_first_response_and_B_the_second()
    {
        var pairs = await ExportAsync(
        [
            Item(1, Data, """{"preference": {"choice": "A", "strength": 3}}"""),
            Item(2, Data, """{"preference": {"choice": "B"}}"""),
            Item(3, Data, """{"preference": {"choice": "tie"}}"""),
        ]);

        Assert.Equal(2, pairs.Count);
        Assert.All(pairs, p =>
        {
            Assert.Equal(["prompt", "chosen", "rejected"], p.Select(kv => kv.Key).Take(3));
            Assert.Equal("Capital of Australia?", p["prompt"]!.GetValue<string>());
        });
        Assert.Equal(("Canberra", "Sydney", 3), (pairs[0]["chosen"]!.GetValue<string>(), pairs[0]["rejected"]!.GetValue<string>(), pairs[0]["strength"]!.GetValue<int>()));
        Assert.Equal(("Sydney", "Canberra"), (pairs[1]["chosen"]!.GetValue<string>(), pairs[1]["rejected"]!.GetValue<string>()));
        Assert.Equal("response_b", pairs[1]["chosen_key"]!.GetValue<string>());
        Assert.False(pairs[1].ContainsKey("strength"));
        Assert.Equal(1, pairs[0]["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Ranking_gives_every_ordered_pair_best_first()
    {
        var pairs = await ExportAsync([Item(1, Data, """{"order": [2, 0, 1]}""")]);

        Assert.Equal(
            [("best", "ok"), ("best", "bad"), ("ok", "bad")],
            pairs.Select(p => (p["chosen"]!.GetValue<string>(), p["rejected"]!.GetValue<string>())));
        Assert.All(pairs, p => Assert.True(p["chosen_rank"]!.GetValue<int>() < p["rejected_rank"]!.GetValue<int>()));
    }

    [Fact]
    public async Task All_source_gives_pairs_per_annotator()
    {
        var pairs = await ExportAsync(
        [
            Item(1, Data, null, null,
                Annotation(1, "annotator-aaaaaa", """{"preference": {"choice": "A"}}"""),
                Annotation(2, "annotator-bbbbbb", """{"preference": {"choice": "B"}}""")),
        ], ExportSource.All);

        Assert.Equal(["annotator-aaaaaa", "annotator-bbbbbb"], pairs.Select(p => p["annotator"]!.GetValue<string>()));
        Assert.Equal(["Canberra", "Sydney"], pairs.Select(p => p["chosen"]!.GetValue<string>()));
    }
}
