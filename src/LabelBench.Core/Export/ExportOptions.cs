using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>What an exporter writes: which labels, the schema, and what some formats need besides the items.</summary>
public sealed record ExportOptions
{
    public ExportSource Source { get; init; } = ExportSource.All;

    /// <summary>The project's schema; every format but JSONL needs it (label columns, categories, tags, responses).</summary>
    public LabelSchema? Schema { get; init; }

    /// <summary>Data keys to write as columns in tabular formats; null means the keys the schema reads.</summary>
    public IReadOnlyList<string>? DataKeys { get; init; }

    /// <summary>
    /// The splits the exported items carry (train, validation, test), when the caller knows them before streaming:
    /// YOLO puts images and labels in split folders when there are any. Items without a split count as train.
    /// </summary>
    public IReadOnlyList<string>? Splits { get; init; }

    /// <summary>Where YOLO and VOC read the image bytes; without it they write labels only.</summary>
    public IMediaReader? Media { get; init; }

    /// <summary>CSV with <see cref="ExportSource.All"/>: one row per submitted annotation instead of one row per item.</summary>
    public bool OneRowPerAnnotation { get; init; }

    /// <summary>Scratch storage for formats that must hold parts back while streaming (COCO images, HF splits); a deleted-on-close temp file by default.</summary>
    public Func<Stream>? CreateScratch { get; init; }

    internal bool Includes(ExportItem item) => Source == ExportSource.All || item.FinalResult is not null;

    internal LabelSchema RequireSchema(string format) =>
        Schema ?? throw new ArgumentException($"a {format} export needs the project's schema", nameof(format));

    internal Stream NewScratch() => CreateScratch?.Invoke()
        ?? new FileStream(Path.Combine(Path.GetTempPath(), "labelbench-export-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
