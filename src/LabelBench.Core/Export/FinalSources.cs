namespace LabelBench.Core.Export;

/// <summary>The values of <see cref="ExportItem.FinalSource"/>: where an item's final label comes from.</summary>
public static class FinalSources
{
    /// <summary>A reviewer's adjudication.</summary>
    public const string Adjudication = "adjudication";

    /// <summary>The annotators agreed under the project's rule.</summary>
    public const string Agreement = "agreement";

    /// <summary>Choices fields decided by Dawid–Skene aggregation, the other fields by majority.</summary>
    public const string DawidSkene = "dawid-skene";

    /// <summary>No final label yet.</summary>
    public const string None = "none";
}
