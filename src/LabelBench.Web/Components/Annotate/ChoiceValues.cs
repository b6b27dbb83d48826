using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Web.Components.Annotate;

/// <summary>Reading and toggling the value of a choices field (a string, or a list when multiple).</summary>
public static class ChoiceValues
{
    public static IReadOnlyList<string> Read(JsonNode? value) => value switch
    {
        JsonArray a => a.Select(x => x?.GetValue<string>()).OfType<string>().ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    /// <summary>Single choice: pick it, or clear it when picked again. Multiple: add or remove it.</summary>
    public static JsonNode? Toggle(SchemaField field, JsonNode? current, string value)
    {
        var selected = Read(current).ToList();
        if (!field.Multiple)
        {
            return selected.Contains(value) ? null : JsonValue.Create(value);
        }

        if (!selected.Remove(value))
        {
            selected.Add(value);
        }

        // Keep the schema's order so the same choices always give the same value.
        var ordered = field.Options.Select(o => o.Value).Where(selected.Contains).ToArray();
        return ordered.Length == 0 ? null : new JsonArray(ordered.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }
}
