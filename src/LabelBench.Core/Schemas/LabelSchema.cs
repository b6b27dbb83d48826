namespace LabelBench.Core.Schemas;

/// <summary>One choice of a <c>choices</c> field, or one label of a region field.</summary>
public sealed record LabelOption(string Value, string? Color = null, string? Hotkey = null);

/// <summary>One field of a label schema: what it reads, what the annotator gives, and how.</summary>
public sealed record SchemaField
{
    public required string Name { get; init; }
    public required FieldKind Kind { get; init; }

    /// <summary>The item data key the field reads (for pairwise and ranking: the prompt, if any).</summary>
    public string? Source { get; init; }

    public bool Required { get; init; }
    public string? Description { get; init; }

    /// <summary><c>options</c> of a choices field or <c>labels</c> of a region field.</summary>
    public IReadOnlyList<LabelOption> Options { get; init; } = [];

    /// <summary>Choices: several options may be chosen.</summary>
    public bool Multiple { get; init; }

    /// <summary>Rating: the highest value (ratings run 1..Max).</summary>
    public int? Max { get; init; }

    /// <summary>Pairwise (exactly two) and ranking (two or more): the item data keys of the responses.</summary>
    public IReadOnlyList<string> Responses { get; init; } = [];

    public LabelOption? FindOption(string value) => Options.FirstOrDefault(o => o.Value == value);

    // Value equality over the lists too (records compare lists by reference), so a parsed schema equals the one it was written from.
    public bool Equals(SchemaField? other) =>
        other is not null
        && Name == other.Name
        && Kind == other.Kind
        && Source == other.Source
        && Required == other.Required
        && Description == other.Description
        && Multiple == other.Multiple
        && Max == other.Max
        && Options.SequenceEqual(other.Options)
        && Responses.SequenceEqual(other.Responses, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Name, Kind, Source, Required, Multiple, Max, Options.Count, Responses.Count);
}

/// <summary>A label schema: an ordered list of uniquely named fields.</summary>
public sealed record LabelSchema(IReadOnlyList<SchemaField> Fields)
{
    public SchemaField? FindField(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public bool Equals(LabelSchema? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var field in Fields)
        {
            hash.Add(field);
        }

        return hash.ToHashCode();
    }

    /// <summary>Every item data key the schema reads.</summary>
    public IEnumerable<string> DataKeys() =>
        Fields.SelectMany(f => f.Responses.Prepend(f.Source ?? string.Empty)).Where(k => k.Length > 0).Distinct();
}
