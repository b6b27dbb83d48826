using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes preference pairs for DPO/reward-model training as JSONL:
/// <c>{"prompt", "chosen", "rejected", "id", "external_id", "field", ...}</c>, one pair a line.
/// </summary>
/// <remarks>
/// <para>The prompt is the item data the field's <c>source</c> names (empty when it has none); responses are the data
/// under the field's <c>responses</c> keys. Responses are shown to annotators in random order, but results are stored
/// in schema order, so <c>"A"</c> always means the first response key and <c>"B"</c> the second.</para>
/// <para>Pairwise: <c>A</c> makes (first, second), <c>B</c> (second, first), with <c>strength</c> when given; a tie or an
/// empty field makes no pair. Ranking (indexes best first): every ordered pair, best first — n responses give
/// n(n−1)/2 pairs, as in InstructGPT's reward-model training — with <c>chosen_rank</c> and <c>rejected_rank</c> (1 = best).</para>
/// <para>With <see cref="ExportSource.All"/> every submitted annotation gives its own pairs, with <c>annotator</c>.</para>
/// </remarks>
public static class DpoExporter
{
    public static async Task<ExportResult> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var schema = options.RequireSchema("DPO");
        var fields = schema.Fields.Where(f => f.Kind.UsesResponses()).ToList();
        if (fields.Count == 0)
        {
            throw new ArgumentException("a DPO export needs a pairwise or ranking field");
        }

        var buffer = new ArrayBufferWriter<byte>(128 * 1024);
        await using var json = new Utf8JsonWriter(buffer, ExportValues.WriterOptions);
        var written = 0;
        await foreach (var item in items.WithCancellation(ct))
        {
            foreach (var record in LabelRecord.Of(item, options.Source))
            {
                foreach (var field in fields)
                {
                    foreach (var pair in Pairs(field, record.Result[field.Name]))
                    {
                        WritePair(json, field, record, pair);
                        json.Flush();
                        json.Reset();
                        buffer.Write("\n"u8);
                        written++;
                    }
                }
            }

            if (buffer.WrittenCount >= 64 * 1024)
            {
                await stream.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
        }

        await stream.WriteAsync(buffer.WrittenMemory, ct);
        await stream.FlushAsync(ct);
        return new ExportResult(written);
    }

    /// <summary>A preference: the indexes (into the field's responses) of the chosen and rejected response.</summary>
    public readonly record struct Preference(int Chosen, int Rejected, int? Strength, int? ChosenRank, int? RejectedRank);

    public static IEnumerable<Preference> Pairs(SchemaField field, JsonNode? value)
    {
        if (field.Kind == FieldKind.Pairwise)
        {
            var choice = ExportValues.Text(value?["choice"]);
            int? strength = ExportValues.TryInt(value?["strength"], out var s) ? s : null;
            if (choice == "A")
            {
                yield return new Preference(0, 1, strength, null, null);
            }
            else if (choice == "B")
            {
                yield return new Preference(1, 0, strength, null, null);
            }
        }
        else if (field.Kind == FieldKind.Ranking && value is JsonArray ranking)
        {
            var order = new List<int>();
            foreach (var node in ranking)
            {
                if (!ExportValues.TryInt(node, out var index) || index < 0 || index >= field.Responses.Count || order.Contains(index))
                {
                    yield break;
                }

                order.Add(index);
            }

            for (var i = 0; i < order.Count; i++)
            {
                for (var j = i + 1; j < order.Count; j++)
                {
                    yield return new Preference(order[i], order[j], null, i + 1, j + 1);
                }
            }
        }
    }

    private static void WritePair(Utf8JsonWriter json, SchemaField field, LabelRecord record, Preference pair)
    {
        var data = record.Item.Data;
        json.WriteStartObject();
        json.WriteString("prompt", field.Source is null ? string.Empty : ExportValues.Text(data[field.Source]) ?? string.Empty);
        json.WriteString("chosen", ExportValues.Text(data[field.Responses[pair.Chosen]]) ?? string.Empty);
        json.WriteString("rejected", ExportValues.Text(data[field.Responses[pair.Rejected]]) ?? string.Empty);
        json.WriteNumber("id", record.Item.ItemId);
        if (record.Item.ExternalId is null)
        {
            json.WriteNull("external_id");
        }
        else
        {
            json.WriteString("external_id", record.Item.ExternalId);
        }

        json.WriteString("field", field.Name);
        json.WriteString("chosen_key", field.Responses[pair.Chosen]);
        json.WriteString("rejected_key", field.Responses[pair.Rejected]);
        if (pair.Strength is { } strength)
        {
            json.WriteNumber("strength", strength);
        }

        if (pair.ChosenRank is { } chosenRank && pair.RejectedRank is { } rejectedRank)
        {
            json.WriteNumber("chosen_rank", chosenRank);
            json.WriteNumber("rejected_rank", rejectedRank);
        }

        if (record.Annotation is not null)
        {
            json.WriteString("annotator", record.Annotation.Annotator);
        }

        json.WriteEndObject();
    }
}
