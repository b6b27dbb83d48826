using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes CoNLL-style BIO tags: one <c>token tag</c> line per token (a single space between), a blank line after each
/// record, no <c>-DOCSTART-</c> lines; UTF-8, <c>\n</c> line ends.
/// </summary>
/// <remarks>
/// <para>The text is the item data the schema's first spans field reads; its tokens come from <see cref="ConllTokenizer"/>.
/// A token that lies even partly inside a span gets the span's tag: <c>B-&lt;label&gt;</c> for the span's first such
/// token, <c>I-&lt;label&gt;</c> for the rest; tokens outside every span are <c>O</c>. BIO cannot nest, so when spans
/// overlap the one that starts first (the longer one on a tie) keeps its tokens and the other is left out.</para>
/// <para>With <see cref="ExportSource.All"/> each submitted annotation is one block (items in id order, annotations in
/// the order they were made).</para>
/// </remarks>
public static class ConllExporter
{
    public static async Task<ExportResult> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var schema = options.RequireSchema("CoNLL");
        var field = schema.Fields.FirstOrDefault(f => f.Kind == FieldKind.Spans) ?? throw new ArgumentException("a CoNLL export needs a spans field");
        await using var writer = new StreamWriter(stream, ExportValues.Utf8, 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        var written = 0;
        await foreach (var item in items.WithCancellation(ct))
        {
            var text = field.Source is null ? null : ExportValues.Text(item.Data[field.Source]);
            foreach (var record in LabelRecord.Of(item, options.Source))
            {
                var tokens = ConllTokenizer.Tokenize(text ?? string.Empty);
                var tags = Tag(tokens, record.Result[field.Name]);
                var block = new StringBuilder();
                for (var i = 0; i < tokens.Count; i++)
                {
                    block.Append(tokens[i].Text).Append(' ').Append(tags[i]).Append('\n');
                }

                block.Append('\n');
                await writer.WriteAsync(block, ct);
                written++;
            }
        }

        await writer.FlushAsync(ct);
        return new ExportResult(written);
    }

    /// <summary>BIO tags for the tokens from a spans value (<c>[{"start", "end", "label"}]</c>, code points, end exclusive).</summary>
    public static string[] Tag(IReadOnlyList<ConllToken> tokens, JsonNode? spans)
    {
        var tags = Enumerable.Repeat("O", tokens.Count).ToArray();
        var ordered = ExportValues.Regions(spans)
            .Select(s => (Ok: ExportValues.TryInt(s["start"], out var start) & ExportValues.TryInt(s["end"], out var end), start, end, Label: ExportValues.Label(s)))
            .Where(s => s.Ok && s.Label is not null && s.end > s.start)
            .OrderBy(s => s.start).ThenByDescending(s => s.end);
        foreach (var (_, start, end, label) in ordered)
        {
            var covered = Enumerable.Range(0, tokens.Count).Where(i => tokens[i].Start < end && tokens[i].End > start).ToList();
            if (covered.Count == 0 || covered.Any(i => tags[i] != "O"))
            {
                continue;
            }

            tags[covered[0]] = "B-" + label;
            foreach (var i in covered.Skip(1))
            {
                tags[i] = "I-" + label;
            }
        }

        return tags;
    }
}
