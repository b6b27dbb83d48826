using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Json;

namespace LabelBench.Core.Schemas;

/// <summary>
/// How existing annotations use a schema: per field, how many annotations use each label (an annotation counts once
/// per label however many regions carry it) and how many give the field any value.
/// </summary>
public sealed record LabelUsage(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Labels,
    IReadOnlyDictionary<string, int> Fields)
{
    public static LabelUsage Empty { get; } = new(new Dictionary<string, IReadOnlyDictionary<string, int>>(), new Dictionary<string, int>());

    public int LabelCount(string field, string label) =>
        Labels.TryGetValue(field, out var byLabel) && byLabel.TryGetValue(label, out var n) ? n : 0;

    public int FieldCount(string field) => Fields.TryGetValue(field, out var n) ? n : 0;
}

/// <summary>Builds a <see cref="LabelUsage"/> one annotation result at a time (the caller streams them from storage).</summary>
public sealed class LabelUsageCounter(LabelSchema schema)
{
    private readonly Dictionary<string, Dictionary<string, int>> labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> fields = new(StringComparer.Ordinal);

    public void Add(JsonObject result)
    {
        foreach (var field in schema.Fields)
        {
            var value = result[field.Name];
            if (!HasValue(value))
            {
                continue;
            }

            fields[field.Name] = fields.GetValueOrDefault(field.Name) + 1;
            foreach (var label in LabelsOf(field, value))
            {
                if (!labels.TryGetValue(field.Name, out var byLabel))
                {
                    labels[field.Name] = byLabel = new Dictionary<string, int>(StringComparer.Ordinal);
                }

                byLabel[label] = byLabel.GetValueOrDefault(label) + 1;
            }
        }
    }

    public LabelUsage ToUsage() => new(
        labels.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)new Dictionary<string, int>(p.Value, StringComparer.Ordinal), StringComparer.Ordinal),
        new Dictionary<string, int>(fields, StringComparer.Ordinal));

    /// <summary>Whether a value counts as given (missing, null, "" and [] do not).</summary>
    public static bool HasValue(JsonNode? value) => value switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        _ => true,
    };

    /// <summary>
    /// The distinct labels a value uses: the chosen options of a choices field, the <c>label</c> of each region of a
    /// region field, and a rating's value (as text, so a lowered <c>max</c> can be counted like a removed label).
    /// </summary>
    public static IReadOnlySet<string> LabelsOf(SchemaField field, JsonNode? value)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        switch (field.Kind)
        {
            case FieldKind.Choices:
                if (value is JsonArray chosen)
                {
                    foreach (var c in chosen)
                    {
                        if (JsonNumber.TryGetString(c, out var s))
                        {
                            found.Add(s);
                        }
                    }
                }
                else if (JsonNumber.TryGetString(value, out var one))
                {
                    found.Add(one);
                }

                break;
            case FieldKind.Rating:
                if (JsonNumber.TryGetInt(value, out var rating))
                {
                    found.Add(rating.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case var kind when kind.UsesLabels():
                if (value is JsonArray regions)
                {
                    foreach (var region in regions)
                    {
                        if (region is JsonObject o && JsonNumber.TryGetString(o["label"], out var label))
                        {
                            found.Add(label);
                        }
                    }
                }

                break;
        }

        return found;
    }
}
