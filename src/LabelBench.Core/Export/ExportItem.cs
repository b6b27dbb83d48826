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
    string FinalSource)
{
    /// <summary>SHA-256 (hex) of the item's stored media file, when it has one; image formats copy those bytes.</summary>
    public string? MediaHash { get; init; }

    /// <summary>MIME type of the media file (<c>image/png</c>), when it has one.</summary>
    public string? MediaType { get; init; }

    /// <summary>Decoded image width in pixels; image formats need it to normalise and bound regions.</summary>
    public int? Width { get; init; }

    public int? Height { get; init; }
}
