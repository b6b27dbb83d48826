using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Web.Components.Schema;

/// <summary>One option or label as the designer edits it (empty colour and hotkey mean none).</summary>
public sealed class OptionDraft
{
    public string Value { get; set; } = string.Empty;
    public string Color { get; set; } = string.Empty;
    public string Hotkey { get; set; } = string.Empty;

    public LabelOption ToOption() => new(Value, Blank(Color), Blank(Hotkey));

    internal static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// One field as the designer edits it. It keeps what a kind does not use (options of a field switched to text, a
/// rating's max), so switching the kind back restores them; <see cref="ToField"/> writes only what the kind takes.
/// </summary>
public sealed class FieldDraft
{
    public string Name { get; set; } = string.Empty;
    public FieldKind Kind { get; set; }
    public string Source { get; set; } = string.Empty;
    public bool Required { get; set; }
    public string Description { get; set; } = string.Empty;
    public List<OptionDraft> Options { get; set; } = [];
    public bool Multiple { get; set; }
    public int? Max { get; set; }
    public List<string> Responses { get; set; } = [];

    /// <summary>A key stable while the field is edited and moved, for <c>@key</c>.</summary>
    public Guid Key { get; } = Guid.NewGuid();

    public SchemaField ToField() => new()
    {
        Name = Name.Trim(),
        Kind = Kind,
        Source = OptionDraft.Blank(Source),
        Required = Required,
        Description = OptionDraft.Blank(Description),
        Options = Kind.UsesOptions() || Kind.UsesLabels() ? Options.Select(o => o.ToOption()).ToList() : [],
        Multiple = Kind == FieldKind.Choices && Multiple,
        Max = Kind == FieldKind.Rating ? Max : null,
        Responses = Kind.UsesResponses() ? Responses.Select(r => r.Trim()).ToList() : [],
    };

    public static FieldDraft From(SchemaField f) => new()
    {
        Name = f.Name,
        Kind = f.Kind,
        Source = f.Source ?? string.Empty,
        Required = f.Required,
        Description = f.Description ?? string.Empty,
        Options = f.Options.Select(o => new OptionDraft { Value = o.Value, Color = o.Color ?? string.Empty, Hotkey = o.Hotkey ?? string.Empty }).ToList(),
        Multiple = f.Multiple,
        Max = f.Max,
        Responses = [.. f.Responses],
    };

    /// <summary>
    /// A new field of <paramref name="kind"/> that is valid as it stands: a unique name, a source guessed from the
    /// data keys, and starter options, labels, max or responses for the lead to rename.
    /// </summary>
    public static FieldDraft New(FieldKind kind, IEnumerable<string> takenNames, IReadOnlyList<string> dataKeys)
    {
        var taken = takenNames.ToHashSet(StringComparer.Ordinal);
        var baseName = kind.ToName();
        var name = baseName;
        for (var n = 2; taken.Contains(name); n++)
        {
            name = $"{baseName}_{n}";
        }

        var draft = new FieldDraft { Name = name, Kind = kind, Source = GuessSource(kind, dataKeys) };
        switch (kind)
        {
            case FieldKind.Choices:
                draft.Options = [Option("yes", "#2e7d32", "1"), Option("no", "#c62828", "2")];
                break;
            case FieldKind.Rating:
                draft.Max = 5;
                break;
            case FieldKind.Spans:
                draft.Options = [Option("PER", "#1e88e5", "p"), Option("ORG", "#8e24aa", "o")];
                break;
            case FieldKind.Boxes or FieldKind.Polygons:
                draft.Options = [Option("object", "#e53935", "o")];
                break;
            case FieldKind.Keypoints:
                draft.Options = [Option("point", "#fb8c00", "k")];
                break;
            case FieldKind.Segments:
                draft.Options = [Option("speech", "#1e88e5", "1"), Option("noise", "#757575", "2")];
                break;
            case FieldKind.Pairwise:
                draft.Source = GuessKey(dataKeys, "prompt") ?? string.Empty;
                draft.Responses = ResponseKeys(dataKeys, 2);
                break;
            case FieldKind.Ranking:
                draft.Source = GuessKey(dataKeys, "prompt") ?? string.Empty;
                draft.Responses = ResponseKeys(dataKeys, 3);
                break;
        }

        return draft;
    }

    private static OptionDraft Option(string value, string color, string hotkey) => new() { Value = value, Color = color, Hotkey = hotkey };

    private static string GuessSource(FieldKind kind, IReadOnlyList<string> keys) => kind switch
    {
        FieldKind.Boxes or FieldKind.Polygons or FieldKind.Keypoints => GuessKey(keys, "image", "img", "photo", "picture") ?? "image",
        FieldKind.Segments => GuessKey(keys, "audio", "sound", "recording") ?? "audio",
        FieldKind.Pairwise or FieldKind.Ranking => string.Empty,
        _ => GuessKey(keys, "text", "body", "content", "sentence") ?? (keys.Count > 0 ? keys[0] : "text"),
    };

    private static string? GuessKey(IReadOnlyList<string> keys, params string[] hints) =>
        hints.Select(h => keys.FirstOrDefault(k => k.Equals(h, StringComparison.OrdinalIgnoreCase))
                ?? keys.FirstOrDefault(k => k.Contains(h, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(k => k is not null);

    private static List<string> ResponseKeys(IReadOnlyList<string> keys, int count)
    {
        var found = keys.Where(k => k.Contains("response", StringComparison.OrdinalIgnoreCase) || k.Contains("answer", StringComparison.OrdinalIgnoreCase)).ToList();
        return found.Count >= count ? found.Take(count).ToList() : Enumerable.Range(0, count).Select(i => $"response_{(char)('a' + i)}").ToList();
    }
}

/// <summary>The schema being designed: an ordered list of field drafts.</summary>
public sealed class SchemaDraft
{
    public List<FieldDraft> Fields { get; set; } = [];

    public LabelSchema ToSchema() => new(Fields.Select(f => f.ToField()).ToList());

    public static SchemaDraft From(LabelSchema schema) => new() { Fields = schema.Fields.Select(FieldDraft.From).ToList() };

    public string ToJson() => LabelSchemaJson.Serialize(ToSchema(), indented: true);

    /// <summary>Item data to preview with when the project has no items yet: a sentence for every key the schema reads.</summary>
    public static JsonObject MadeUpItem(LabelSchema schema)
    {
        var data = new JsonObject();
        foreach (var key in schema.DataKeys())
        {
            data[key] = $"Example {key}: The new phone arrived quickly and works well, though the battery could last longer.";
        }

        return data;
    }
}
