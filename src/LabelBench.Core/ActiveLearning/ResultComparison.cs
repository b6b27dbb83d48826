using System.Text.Json.Nodes;
using LabelBench.Core.Json;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.ActiveLearning;

/// <summary>Whether a model's result agrees with an item's final label.</summary>
/// <remarks>
/// Only the schema fields the prediction gives are compared (a classifier of one field says nothing about the others);
/// a prediction that gives none of the schema's fields cannot be compared. Values agree when equal: multiple choices
/// and region lists as sets, everything else exactly; an empty value (missing, null, "" or []) equals an empty one.
/// </remarks>
public static class ResultComparison
{
    /// <summary>True or false when comparable, null when the prediction gives no field of the schema.</summary>
    public static bool? Agrees(LabelSchema schema, JsonObject prediction, JsonObject final)
    {
        var compared = false;
        foreach (var field in schema.Fields)
        {
            if (!prediction.ContainsKey(field.Name))
            {
                continue;
            }

            compared = true;
            if (!Same(field, Normalise(prediction[field.Name]), Normalise(final[field.Name])))
            {
                return false;
            }
        }

        return compared ? true : null;
    }

    /// <summary>The label a single-choice (or rating) field holds in a result, as text; null when empty.</summary>
    public static string? Label(JsonObject result, string field) => Normalise(result[field]) switch
    {
        null => null,
        JsonArray a => string.Join("|", a.Select(x => x?.ToString()).Order(StringComparer.Ordinal)),
        JsonValue v when JsonNumber.TryGetString(v, out var s) => s,
        var other => other.ToJsonString(),
    };

    private static JsonNode? Normalise(JsonNode? value) => value switch
    {
        null => null,
        JsonArray { Count: 0 } => null,
        JsonValue v when JsonNumber.TryGetString(v, out var s) && s.Length == 0 => null,
        _ => value,
    };

    private static bool Same(SchemaField field, JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        var unordered = (field.Kind == FieldKind.Choices && field.Multiple)
            || field.Kind is FieldKind.Spans or FieldKind.Boxes or FieldKind.Polygons or FieldKind.Keypoints or FieldKind.Segments;
        if (unordered && a is JsonArray x && b is JsonArray y)
        {
            if (x.Count != y.Count)
            {
                return false;
            }

            var unmatched = y.ToList();
            foreach (var element in x)
            {
                var i = unmatched.FindIndex(u => JsonNode.DeepEquals(u, element));
                if (i < 0)
                {
                    return false;
                }

                unmatched.RemoveAt(i);
            }

            return true;
        }

        return JsonNode.DeepEquals(a, b);
    }
}
