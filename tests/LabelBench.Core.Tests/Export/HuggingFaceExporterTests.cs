using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Export;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class HuggingFaceExporterTests
{
    private static List<ExportItem> Items() =>
    [
        Item(1, """{"text": "Great kettle"}""", """{"sentiment": "positive", "topics": ["quality"], "stars": 5, "entities": [{"start": 0, "end": 5, "label": "PER"}]}""", "train"),
        Item(2, """{"text": "Late"}""", """{"sentiment": "negative"}""", "test"),
        Item(3, """{"text": "Fine"}""", """{"sentiment": "neutral", "note": "ok"}"""),
        Item(4, """{"text": "Unlabelled"}""", null, "validation"),
    ];

    private static async Task<Dictionary<string, byte[]>> ExportAsync(ExportSource source = ExportSource.Final, List<ExportItem>? items = null) =>
        Unzip(await ExportFormatSamples.ExportAsync("hf", items ?? Items(), new ExportOptions { Source = source, Schema = Classification }));

    /// <summary>The parts of the card's YAML front matter the <c>datasets</c> loader reads, from the card's fixed layout.</summary>
    private sealed record Card(List<(string Split, string Path)> DataFiles, List<(string Name, string Type, List<string> Names)> Features, Dictionary<string, int> Examples);

    private static string Unquote(string value) => value.StartsWith('"') ? JsonSerializer.Deserialize<string>(value)! : value;

    private static Card ParseCard(string readme)
    {
        Assert.StartsWith("---\n", readme, StringComparison.Ordinal);
        var yaml = readme[4..readme.IndexOf("\n---\n", 4, StringComparison.Ordinal)].Split('\n');
        var files = new List<(string, string)>();
        var features = new List<(string Name, string Type, List<string> Names)>();
        var examples = new Dictionary<string, int>();
        string? section = null;
        for (var i = 0; i < yaml.Length; i++)
        {
            var line = yaml[i];
            if (!line.StartsWith(' ') && !line.StartsWith('-'))
            {
                section = line.TrimEnd(':');
                continue;
            }

            var trimmed = line.Trim();
            if (section == "configs" && trimmed.StartsWith("- split: ", StringComparison.Ordinal))
            {
                files.Add((Unquote(trimmed[9..]), Unquote(yaml[++i].Trim()["path: ".Length..])));
            }
            else if (section == "dataset_info" && line.StartsWith("  - name: ", StringComparison.Ordinal) && yaml[i + 1].StartsWith("    num_examples: ", StringComparison.Ordinal))
            {
                examples[Unquote(line[10..])] = int.Parse(yaml[++i].Trim()["num_examples: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (section == "dataset_info" && line.StartsWith("  - name: ", StringComparison.Ordinal))
            {
                var name = Unquote(line[10..]);
                var next = yaml[++i].Trim();
                if (next.StartsWith("dtype: ", StringComparison.Ordinal))
                {
                    features.Add((name, next[7..], []));
                    continue;
                }

                var type = next == "dtype:" ? "class_label" : "sequence<class_label>";
                i += 2;
                var names = new List<string>();
                while (i + 1 < yaml.Length && yaml[i + 1].StartsWith("          ", StringComparison.Ordinal))
                {
                    var entry = yaml[++i].Trim();
                    names.Add(Unquote(entry[(entry.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
                }

                features.Add((name, type, names));
            }
        }

        return new Card(files, features, examples);
    }

    [Fact]
    public async Task Card_names_every_split_file_and_its_features_match_the_files()
    {
        var files = await ExportAsync();
        var card = ParseCard(Utf8Text(files["README.md"]));

        Assert.Equal([("train", "train.jsonl"), ("test", "test.jsonl")], card.DataFiles);
        Assert.Equal(["README.md", "test.jsonl", "train.jsonl"], files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["train"] = 2, ["test"] = 1 }, card.Examples);
        var features = card.Features.ToDictionary(f => f.Name);
        Assert.Equal(["id", "external_id", "text", "sentiment", "topics", "stars", "note", "entities"], card.Features.Select(f => f.Name));
        Assert.Equal("class_label", features["sentiment"].Type);
        Assert.Equal(["positive", "negative", "neutral"], features["sentiment"].Names);
        Assert.Equal("sequence<class_label>", features["topics"].Type);
        Assert.Equal(["price", "quality", "delivery"], features["topics"].Names);
        Assert.Equal("int64", features["stars"].Type);
        Assert.Equal("string", features["entities"].Type);

        foreach (var (split, path) in card.DataFiles)
        {
            var rows = Utf8Text(files[path]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(card.Examples[split], rows.Count);
            foreach (var row in rows)
            {
                Assert.Equal(card.Features.Select(f => f.Name), row.Select(p => p.Key));
                foreach (var (name, type, names) in card.Features)
                {
                    var value = row[name];
                    if (value is null)
                    {
                        continue;
                    }

                    switch (type)
                    {
                        case "int64":
                            Assert.Equal(JsonValueKind.Number, value.GetValueKind());
                            break;
                        case "string":
                            Assert.Equal(JsonValueKind.String, value.GetValueKind());
                            break;
                        case "class_label":
                            Assert.Contains(value.GetValue<string>(), names);
                            break;
                        default:
                            Assert.All(value.AsArray(), v => Assert.Contains(v!.GetValue<string>(), names));
                            break;
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Items_without_a_split_go_to_train()
    {
        var train = Utf8Text((await ExportAsync())["train.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal([1L, 3L], train.Select(l => JsonNode.Parse(l)!["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task All_source_adds_annotator_features_and_a_row_per_annotation()
    {
        var items = new List<ExportItem>
        {
            Item(1, """{"text": "x"}""", null, null, Annotation(1, "annotator-aaaaaa", """{"sentiment": "positive"}"""), Annotation(2, "annotator-bbbbbb", """{"sentiment": "neutral"}""")),
        };

        var files = await ExportAsync(ExportSource.All, items);

        var card = ParseCard(Utf8Text(files["README.md"]));
        Assert.Contains(card.Features, f => f.Name == "annotator" && f.Type == "string");
        Assert.Equal(2, Utf8Text(files["train.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Same_input_gives_the_same_bytes()
    {
        var options = new ExportOptions { Source = ExportSource.Final, Schema = Classification };

        Assert.Equal(await ExportFormatSamples.ExportAsync("hf", Items(), options), await ExportFormatSamples.ExportAsync("hf", Items(), options));
    }
}
