using System.Text.Json.Nodes;
using LabelBench.Core.Json;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Annotations;

/// <summary>
/// A model's prediction as the starting point of an annotation: the form starts from it (limited to the schema's
/// fields) and the stored annotation records whether the annotator accepted it unchanged.
/// </summary>
public static class PreAnnotation
{
    /// <summary>The prediction's values for the schema's fields; everything else in the prediction is left out.</summary>
    public static JsonObject StartingResult(LabelSchema schema, JsonObject prediction)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(prediction);
        var start = new JsonObject();
        foreach (var field in schema.Fields)
        {
            if (prediction[field.Name] is { } value && !IsEmpty(value))
            {
                start[field.Name] = value.DeepClone();
            }
        }

        return start;
    }

    /// <summary>
    /// True when the submitted result says what the prediction said, field by field: regions (spans, boxes, ...) in
    /// any order, since deleting and re-adding the same span changes nothing; empty values equal a missing field.
    /// </summary>
    public static bool AcceptedUnchanged(LabelSchema schema, JsonObject prediction, JsonObject result)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var start = StartingResult(schema, prediction);
        foreach (var field in schema.Fields)
        {
            var a = start[field.Name];
            var b = result[field.Name] is { } v && !IsEmpty(v) ? v : null;
            if (!Same(field, a, b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(SchemaField field, JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if ((field.Kind.UsesLabels() || (field.Kind == FieldKind.Choices && field.Multiple)) && a is JsonArray x && b is JsonArray y)
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

    private static bool IsEmpty(JsonNode value) => value switch
    {
        JsonArray a => a.Count == 0,
        _ => JsonNumber.TryGetString(value, out var s) && s.Length == 0,
    };
}
