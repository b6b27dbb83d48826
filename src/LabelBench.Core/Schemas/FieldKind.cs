namespace LabelBench.Core.Schemas;

/// <summary>The kinds of field a label schema can hold, as named in the schema JSON.</summary>
public enum FieldKind
{
    Choices,
    Rating,
    Text,
    Spans,
    Boxes,
    Polygons,
    Keypoints,
    Segments,
    Pairwise,
    Ranking,
}

/// <summary>Names and groupings of <see cref="FieldKind"/> values.</summary>
public static class FieldKinds
{
    private static readonly Dictionary<string, FieldKind> ByName = new(StringComparer.Ordinal)
    {
        ["choices"] = FieldKind.Choices,
        ["rating"] = FieldKind.Rating,
        ["text"] = FieldKind.Text,
        ["spans"] = FieldKind.Spans,
        ["boxes"] = FieldKind.Boxes,
        ["polygons"] = FieldKind.Polygons,
        ["keypoints"] = FieldKind.Keypoints,
        ["segments"] = FieldKind.Segments,
        ["pairwise"] = FieldKind.Pairwise,
        ["ranking"] = FieldKind.Ranking,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out FieldKind kind) =>
        ByName.TryGetValue(name ?? string.Empty, out kind);

    public static string ToName(this FieldKind kind) => kind switch
    {
        FieldKind.Choices => "choices",
        FieldKind.Rating => "rating",
        FieldKind.Text => "text",
        FieldKind.Spans => "spans",
        FieldKind.Boxes => "boxes",
        FieldKind.Polygons => "polygons",
        FieldKind.Keypoints => "keypoints",
        FieldKind.Segments => "segments",
        FieldKind.Pairwise => "pairwise",
        FieldKind.Ranking => "ranking",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown field kind."),
    };

    /// <summary>Kinds whose choices are listed under <c>options</c>.</summary>
    public static bool UsesOptions(this FieldKind kind) => kind == FieldKind.Choices;

    /// <summary>Kinds whose choices are listed under <c>labels</c> (regions over the item).</summary>
    public static bool UsesLabels(this FieldKind kind) =>
        kind is FieldKind.Spans or FieldKind.Boxes or FieldKind.Polygons or FieldKind.Keypoints or FieldKind.Segments;

    /// <summary>Kinds that compare responses named by <c>responses</c>.</summary>
    public static bool UsesResponses(this FieldKind kind) => kind is FieldKind.Pairwise or FieldKind.Ranking;

    public static bool IsImageKind(this FieldKind kind) =>
        kind is FieldKind.Boxes or FieldKind.Polygons or FieldKind.Keypoints;
}
