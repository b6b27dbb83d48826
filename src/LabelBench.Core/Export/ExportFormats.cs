using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>One export format of CONTRACT.md: its id, what it is, the file it makes, and the schema it needs.</summary>
public sealed record ExportFormat(string Id, string Description, string Extension, string ContentType, Func<LabelSchema, string?> Problem)
{
    /// <summary>True for the image formats, which read each item's media file and image size (<see cref="ExportItem.MediaHash"/> and the rest).</summary>
    public bool UsesMedia { get; init; }
}

/// <summary>The export formats, and one entry point that writes any of them.</summary>
public static class ExportFormats
{
    public static IReadOnlyList<ExportFormat> All { get; } =
    [
        new("jsonl", "JSONL (full fidelity)", "jsonl", "application/x-ndjson; charset=utf-8", _ => null),
        new("csv", "CSV (spreadsheet-safe)", "csv", "text/csv; charset=utf-8", _ => null),
        new("coco", "COCO (boxes, polygons, keypoints)", "json", "application/json; charset=utf-8",
            s => Needs(s, "coco", "a boxes, polygons or keypoints field", k => k.IsImageKind())) { UsesMedia = true },
        new("yolo", "YOLO (zip: images, labels, data.yaml)", "zip", "application/zip", s => Needs(s, "yolo", "a boxes field", k => k == FieldKind.Boxes)) { UsesMedia = true },
        new("voc", "Pascal VOC (zip of XML)", "zip", "application/zip", s => Needs(s, "voc", "a boxes field", k => k == FieldKind.Boxes)) { UsesMedia = true },
        new("conll", "CoNLL BIO tags (spans)", "conll", "text/plain; charset=utf-8", s => Needs(s, "conll", "a spans field", k => k == FieldKind.Spans)),
        new("hf", "Hugging Face (zip: JSONL splits + dataset card)", "zip", "application/zip", _ => null),
        new("dpo", "DPO preference pairs (JSONL)", "jsonl", "application/x-ndjson; charset=utf-8",
            s => Needs(s, "dpo", "a pairwise or ranking field", k => k.UsesResponses())),
        new("parquet", "Parquet (typed columns)", "parquet", "application/vnd.apache.parquet", _ => null),
    ];

    public static ExportFormat? Find(string id) => All.FirstOrDefault(f => f.Id == id);

    /// <summary>Writes <paramref name="items"/> in format <paramref name="formatId"/>; leaves <paramref name="stream"/> open.</summary>
    public static async Task<ExportResult> WriteAsync(string formatId, IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default) =>
        formatId switch
        {
            "jsonl" => new ExportResult(await JsonlExporter.WriteAsync(items, stream, options, ct)),
            "csv" => new ExportResult(await CsvExporter.WriteAsync(items, stream, options, ct)),
            "coco" => await CocoExporter.WriteAsync(items, stream, options, ct),
            "yolo" => await YoloExporter.WriteAsync(items, stream, options, ct),
            "voc" => await VocExporter.WriteAsync(items, stream, options, ct),
            "conll" => await ConllExporter.WriteAsync(items, stream, options, ct),
            "hf" => await HuggingFaceExporter.WriteAsync(items, stream, options, ct),
            "dpo" => await DpoExporter.WriteAsync(items, stream, options, ct),
            "parquet" => await ParquetExporter.WriteAsync(items, stream, options, ct),
            _ => throw new ArgumentException($"unknown export format \"{formatId}\"", nameof(formatId)),
        };

    private static string? Needs(LabelSchema schema, string format, string what, Func<FieldKind, bool> kind) =>
        schema.Fields.Any(f => kind(f.Kind)) ? null : $"the {format} format needs {what}; this project's schema has none";
}
