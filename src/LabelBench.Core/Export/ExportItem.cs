using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>One item as exporters see it: its data, every annotation, and the final label if it has one.</summary>
public sealed record ExportItem
{
    private readonly StoredJson data;

    /// <param name="finalSource">Where <paramref name="finalResult"/> comes from: one of <see cref="FinalSources"/>.</param>
    public ExportItem(long itemId, string? externalId, JsonObject data, string? split, IReadOnlyList<ExportAnnotation> annotations, JsonObject? finalResult, string finalSource)
        : this(itemId, externalId, StoredJson.Of(data), split, annotations, finalResult, finalSource)
    {
    }

    /// <summary>An item whose data is still its stored text: parsed only if an exporter reads it.</summary>
    public ExportItem(long itemId, string? externalId, StoredJson data, string? split, IReadOnlyList<ExportAnnotation> annotations, JsonObject? finalResult, string finalSource)
    {
        ItemId = itemId;
        ExternalId = externalId;
        this.data = data;
        Split = split;
        Annotations = annotations;
        FinalResult = finalResult;
        FinalSource = finalSource;
    }

    public long ItemId { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>The item's data object (read it, never change it).</summary>
    public JsonObject Data => data.Value;

    /// <summary>The data as stored, for writers that can copy its text.</summary>
    public StoredJson StoredData => data;

    public string? Split { get; init; }

    public IReadOnlyList<ExportAnnotation> Annotations { get; init; }

    /// <summary>The final result, or null when the item has none yet (read it, never change it).</summary>
    public JsonObject? FinalResult { get; init; }

    /// <summary>Where <see cref="FinalResult"/> comes from: one of <see cref="FinalSources"/>.</summary>
    public string FinalSource { get; init; }

    /// <summary>SHA-256 (hex) of the item's stored media file, when it has one; image formats copy those bytes.</summary>
    public string? MediaHash { get; init; }

    /// <summary>MIME type of the media file (<c>image/png</c>), when it has one.</summary>
    public string? MediaType { get; init; }

    /// <summary>Decoded image width in pixels; image formats need it to normalise and bound regions.</summary>
    public int? Width { get; init; }

    public int? Height { get; init; }
}
