using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>
/// Which items (and, for <see cref="ExportSource.All"/>, which annotations) an export keeps: by split, by a label the
/// item carries, by when it was labelled and by whom.
/// </summary>
/// <remarks>
/// <para>The annotator and date filters select items that have at least one submitted annotation by that annotator and
/// submitted in <c>[From, To)</c>; with <see cref="ExportSource.All"/> only those annotations are written, with the other
/// sources the item keeps its final label (which the project decides from all its annotations).</para>
/// <para>The label filter keeps items whose final result (with <see cref="ExportSource.All"/>: any kept annotation)
/// has the label: a choice, a rating written as a number, or the <c>label</c> of a span, box, polygon, keypoint or segment.</para>
/// </remarks>
public sealed record ExportFilter
{
    public static ExportFilter None { get; } = new();

    /// <summary>train, validation or test.</summary>
    public string? Split { get; init; }

    public string? Label { get; init; }

    /// <summary>Annotations submitted at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Annotations submitted before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>An annotator as exports name them (a pseudonym, or an email where the project shares them).</summary>
    public string? Annotator { get; init; }

    public bool IsEmpty => Split is null && Label is null && From is null && To is null && Annotator is null;

    /// <summary>The item as the export should see it, or null when the filter leaves it out.</summary>
    public ExportItem? Apply(ExportItem item, ExportSource source)
    {
        if (Split is not null && !string.Equals(item.Split, Split, StringComparison.Ordinal))
        {
            return null;
        }

        if (Annotator is not null || From is not null || To is not null)
        {
            var kept = item.Annotations.Where(Keeps).ToList();
            if (kept.Count == 0)
            {
                return null;
            }

            if (source == ExportSource.All && kept.Count != item.Annotations.Count)
            {
                item = item with { Annotations = kept };
            }
        }

        if (Label is not null)
        {
            var labelled = source == ExportSource.All
                ? item.Annotations.Any(a => a.Status == "submitted" && HasLabel(a.Result, Label))
                : item.FinalResult is { } final && HasLabel(final, Label);
            if (!labelled)
            {
                return null;
            }
        }

        return item;
    }

    private bool Keeps(ExportAnnotation annotation) =>
        annotation.Status == "submitted"
        && (Annotator is null || string.Equals(annotation.Annotator, Annotator, StringComparison.Ordinal))
        && (From is null || annotation.SubmittedAt >= From)
        && (To is null || annotation.SubmittedAt < To);

    /// <summary>True when a result gives <paramref name="label"/> in any field.</summary>
    public static bool HasLabel(JsonObject result, string label) => result.Any(p => ValueHas(p.Value, label, top: true));

    private static bool ValueHas(JsonNode? node, string label, bool top) => node switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() == label,
        JsonValue v when top && v.GetValueKind() == JsonValueKind.Number => v.ToJsonString() == label,
        JsonArray a => a.Any(e => ValueHas(e, label, top: false)),
        JsonObject o => ExportValues.Label(o) == label,
        _ => false,
    };
}
