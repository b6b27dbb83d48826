using System.Text.Json.Nodes;
using LabelBench.Core.Export;

namespace LabelBench.Core.Tests.Export;

/// <summary>Items for exporter tests.</summary>
internal static class ExportSamples
{
    public static readonly DateTimeOffset Submitted = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2));

    public static List<ExportItem> Items() =>
    [
        new(1, "a1", new JsonObject { ["text"] = "Café “quoted”, with comma", ["image"] = "img/1.png" }, "train",
            [
                new(10, "annotator-3f9a2c", 2, "submitted", JsonNode.Parse("""{"sentiment": "pos", "topics": ["tech", "sport"]}""")!.AsObject(), 1200, Submitted),
                new(11, "annotator-0b1c2d", 2, "submitted", JsonNode.Parse("""{"sentiment": "pos"}""")!.AsObject(), 800, Submitted.AddMinutes(1)),
            ],
            JsonNode.Parse("""{"sentiment": "pos", "topics": ["tech", "sport"], "quality": 4, "order": [2, 0, 1], "preference": {"choice": "A", "strength": 2}}""")!.AsObject(),
            FinalSources.Agreement),
        new(2, null, new JsonObject { ["text"] = "=HYPERLINK(\"http://evil\")", ["image"] = "@SUM(A1)" }, null,
            [new(12, "annotator-3f9a2c", 2, "skipped", [], 0, Submitted)],
            null,
            FinalSources.None),
        new(3, "-3", new JsonObject { ["text"] = "+cmd|' /C calc'!A0", ["image"] = "\tx" }, "test",
            [],
            JsonNode.Parse("""{"summary": "-2 is fine", "entities": [{"start": 0, "end": 1, "label": "PER"}]}""")!.AsObject(),
            FinalSources.Adjudication),
    ];

    public static async IAsyncEnumerable<ExportItem> Stream(IEnumerable<ExportItem> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
