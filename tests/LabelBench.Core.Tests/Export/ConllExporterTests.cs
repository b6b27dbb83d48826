using System.Text.Json.Nodes;
using LabelBench.Core.Export;
using LabelBench.Core.Text;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class ConllExporterTests
{
    [Fact]
    public void Tokenizer_splits_words_and_single_punctuation_with_code_point_offsets()
    {
        var tokens = ConllTokenizer.Tokenize("Søren 🎉 met Dr. O'Neil, né_2x!");

        Assert.Equal(["Søren", "🎉", "met", "Dr", ".", "O", "'", "Neil", ",", "né_2x", "!"], tokens.Select(t => t.Text));
        Assert.Equal((6, 7), (tokens[1].Start, tokens[1].End));
        Assert.Equal((8, 11), (tokens[2].Start, tokens[2].End));
        Assert.All(tokens, t => Assert.Equal(t.Text, CodePoints.Slice("Søren 🎉 met Dr. O'Neil, né_2x!", t.Start, t.End)));
    }

    [Fact]
    public void Combining_marks_stay_inside_their_word()
    {
        Assert.Equal(["Cafe\u0301", "ok"], ConllTokenizer.Tokenize("Cafe\u0301 ok").Select(t => t.Text));
    }

    [Fact]
    public void Tokens_partly_inside_a_span_take_its_tag()
    {
        var tokens = ConllTokenizer.Tokenize("New Yorkers love Paris.");
        var spans = JsonNode.Parse("""[{"start": 0, "end": 8, "label": "LOC"}, {"start": 17, "end": 22, "label": "LOC"}]""");

        Assert.Equal(["B-LOC", "I-LOC", "O", "B-LOC", "O"], ConllExporter.Tag(tokens, spans));
    }

    [Fact]
    public void Overlapping_spans_keep_the_first_so_tags_stay_valid_bio()
    {
        var tokens = ConllTokenizer.Tokenize("Bank of New York Mellon");
        var spans = JsonNode.Parse("""[{"start": 8, "end": 16, "label": "LOC"}, {"start": 0, "end": 23, "label": "ORG"}]""");

        Assert.Equal(["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG"], ConllExporter.Tag(tokens, spans));
    }

    [Fact]
    public async Task Blocks_are_token_tag_lines_with_valid_bio_sequences_that_match_the_spans()
    {
        var items = new List<ExportItem>
        {
            Item(1, """{"text": "Marie Curie moved to Paris in 1891."}""", """{"entities": [{"start": 0, "end": 11, "label": "PER"}, {"start": 21, "end": 26, "label": "LOC"}, {"start": 30, "end": 34, "label": "DATE"}]}"""),
            Item(2, """{"text": "Nothing here"}""", """{"entities": []}"""),
            Item(3, """{"text": "Kraków 🎉 Siemens"}""", """{"entities": [{"start": 9, "end": 16, "label": "ORG"}]}"""),
        };

        var text = Utf8Text(await ExportAsync("conll", items, new ExportOptions { Source = ExportSource.Final, Schema = Ner }));

        Assert.DoesNotContain("-DOCSTART-", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var blocks = text.TrimEnd('\n').Split("\n\n");
        Assert.Equal(3, blocks.Length);
        foreach (var block in blocks)
        {
            var tags = block.Split('\n').Select(l => l.Split(' ')).Select(p => { Assert.Equal(2, p.Length); return p[1]; }).ToList();
            for (var i = 0; i < tags.Count; i++)
            {
                Assert.Matches("^(O|[BI]-(PER|ORG|LOC|DATE))$", tags[i]);
                if (tags[i].StartsWith("I-", StringComparison.Ordinal))
                {
                    Assert.True(i > 0 && tags[i - 1][2..] == tags[i][2..], $"I- tag without its B- in {block}");
                }
            }
        }

        Assert.Equal("Marie B-PER\nCurie I-PER\nmoved O\nto O\nParis B-LOC\nin O\n1891 B-DATE\n. O", blocks[0]);
        Assert.Equal("Nothing O\nhere O", blocks[1]);
        Assert.Equal("Kraków O\n🎉 O\nSiemens B-ORG", blocks[2]);
    }

    [Fact]
    public async Task All_source_writes_a_block_per_annotation()
    {
        var items = new List<ExportItem>
        {
            Item(1, """{"text": "Ann sings"}""", null, null,
                Annotation(1, "a", """{"entities": [{"start": 0, "end": 3, "label": "PER"}]}"""),
                Annotation(2, "b", """{"entities": []}""")),
        };

        var text = Utf8Text(await ExportAsync("conll", items, new ExportOptions { Source = ExportSource.All, Schema = Ner }));

        Assert.Equal("Ann B-PER\nsings O\n\nAnn O\nsings O\n\n", text);
    }
}
