using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>One item as exporters see it: its data, every annotation, and the final label if it has one.</summary>
/// <param name="FinalSource">Where <paramref name="FinalResult"/> comes from: one of <see cref="FinalSources"/>.</param>
public sealed record ExportItem(
    long ItemId,
    string? ExternalId,
    JsonObject Data,
    string? Split,
    IReadOnlyList<ExportAnnotation> Annotations,
    JsonObject? FinalResult,
    string FinalSource);
