using System.Text.Json.Nodes;
using LabelBench.Core.Agreement;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Review;

/// <summary>How far one field's annotations on an item disagree (0 = all agree, 1 = no pair agrees).</summary>
public sealed record FieldDisagreement(string Field, double Score, bool Agree);

/// <summary>
/// Field-appropriate disagreement of the annotations on one item: label mismatch for choices, ratings, text, pairwise
/// and ranking (share of disagreeing pairs), 1 − F1 for spans, boxes (IoU matching) and segments (temporal IoU).
/// The item's score is the mean over fields that any annotation filled; the review queue serves the highest first.
/// </summary>
public static class ItemDisagreement
{
    public static (double Score, IReadOnlyList<FieldDisagreement> Fields) Score(LabelSchema schema, IReadOnlyList<JsonObject> results)
    {
        var fields = new List<FieldDisagreement>();
        if (results.Count < 2)
        {
            return (0, fields);
        }

        foreach (var field in schema.Fields)
        {
            var values = results.Select(r => r[field.Name]).ToList();
            if (values.All(v => v is null))
            {
                continue;
            }

            var pairs = 0;
            var disagreement = 0.0;
            for (var a = 0; a < values.Count; a++)
            {
                for (var b = a + 1; b < values.Count; b++)
                {
                    pairs++;
                    disagreement += PairDisagreement(field, values[a], values[b]);
                }
            }

            var score = pairs == 0 ? 0 : disagreement / pairs;
            fields.Add(new FieldDisagreement(field.Name, score, score < 1e-9));
        }

        return (fields.Count == 0 ? 0 : fields.Average(f => f.Score), fields);
    }

    /// <summary>0 when two values of the field agree, up to 1 when they do not at all.</summary>
    public static double PairDisagreement(SchemaField field, JsonNode? first, JsonNode? second)
    {
        if (StructuredFieldAgreement.Supports(field.Kind))
        {
            var match = StructuredFieldAgreement.Compare(field.Kind, first, second) ?? MatchAgreement.None;
            return 1 - match.F1;
        }

        if (field.Kind == FieldKind.Choices && field.Multiple)
        {
            // Jaccard distance between the chosen sets: choosing {a, b} vs {a} half-agrees.
            var x = Set(first);
            var y = Set(second);
            var union = x.Union(y).Count();
            return union == 0 ? 0 : 1 - (double)x.Intersect(y).Count() / union;
        }

        if (field.Kind == FieldKind.Pairwise)
        {
            return string.Equals(Choice(first), Choice(second), StringComparison.Ordinal) ? 0 : 1;
        }

        if (field.Kind == FieldKind.Text)
        {
            return string.Equals(Normalise(first), Normalise(second), StringComparison.Ordinal) ? 0 : 1;
        }

        return JsonNode.DeepEquals(first, second) ? 0 : 1;
    }

    private static HashSet<string> Set(JsonNode? value) => value switch
    {
        JsonArray a => a.Select(x => x?.ToString() ?? string.Empty).ToHashSet(StringComparer.Ordinal),
        JsonValue v => [v.ToString()],
        _ => [],
    };

    private static string? Choice(JsonNode? value) => value is JsonObject o ? o["choice"]?.ToString() : null;

    private static string Normalise(JsonNode? value) =>
        string.Join(' ', (value?.ToString() ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
