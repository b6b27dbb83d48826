using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>One label set to write: an item's final result, or with <see cref="ExportSource.All"/> one annotator's result.</summary>
public readonly record struct LabelRecord(ExportItem Item, JsonObject Result, ExportAnnotation? Annotation)
{
    /// <summary>
    /// The records of an item: with <see cref="ExportSource.All"/> one per submitted annotation (none for an item nobody
    /// labelled yet), otherwise the final result when there is one.
    /// </summary>
    public static IEnumerable<LabelRecord> Of(ExportItem item, ExportSource source)
    {
        if (source == ExportSource.All)
        {
            foreach (var annotation in item.Annotations)
            {
                if (annotation.Status == "submitted")
                {
                    yield return new LabelRecord(item, annotation.Result, annotation);
                }
            }
        }
        else if (item.FinalResult is { } final)
        {
            yield return new LabelRecord(item, final, null);
        }
    }
}
