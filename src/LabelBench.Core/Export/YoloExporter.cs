using System.IO.Compression;
using System.Text;
using LabelBench.Core.Import;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes a zip in the Ultralytics YOLO detection layout: <c>images/&lt;name&gt;</c>, <c>labels/&lt;stem&gt;.txt</c> with
/// one <c>class cx cy w h</c> line per box (normalised to 0..1, six decimals), and <c>data.yaml</c> with the class names.
/// </summary>
/// <remarks>
/// <para>Boxes come from the schema's first boxes field; class ids are the positions of its labels (0-based, schema
/// order). Boxes are clipped to the image; one that has no area left is dropped. A record without boxes gets an empty
/// label file (a background image). An item without a known image size is skipped.</para>
/// <para>When <see cref="ExportOptions.Splits"/> names any split, files go to <c>images/&lt;split&gt;/</c> and
/// <c>labels/&lt;split&gt;/</c> (items without a split count as train) and <c>data.yaml</c> points <c>train</c>, <c>val</c>
/// and <c>test</c> at them; <c>val</c> falls back to the train folder when there is no validation split, since the
/// trainer requires one.</para>
/// <para>With <see cref="ExportSource.All"/> each submitted annotation is its own image/label pair, named
/// <c>&lt;stem&gt;__&lt;annotator&gt;</c>: the image bytes are repeated, because YOLO pairs one label file with one image.</para>
/// <para>Image bytes come from <see cref="ExportOptions.Media"/>; without it, or when the store lacks a file, the
/// label is written without its image (counted in <see cref="ExportResult.MissingMedia"/>).</para>
/// </remarks>
public static class YoloExporter
{
    public static async Task<ExportResult> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var schema = options.RequireSchema("YOLO");
        var field = schema.Fields.FirstOrDefault(f => f.Kind == FieldKind.Boxes) ?? throw new ArgumentException("a YOLO export needs a boxes field");
        var classes = field.Options.Select((o, i) => (o.Value, i)).ToDictionary(p => p.Value, p => p.i, StringComparer.Ordinal);
        var splitFolders = options.Splits is { Count: > 0 };
        var seenSplits = new SortedSet<int>();
        var names = new ImageNames();
        var written = 0;
        var skipped = 0;
        var missing = 0;
        await using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8))
        {
            await foreach (var item in items.WithCancellation(ct))
            {
                foreach (var record in LabelRecord.Of(item, options.Source))
                {
                    if (item.Width is not { } width || item.Height is not { } height || width <= 0 || height <= 0)
                    {
                        skipped++;
                        continue;
                    }

                    var split = item.Split ?? DatasetSplits.Train;
                    seenSplits.Add(SplitOrder(split));
                    var folder = splitFolders ? split + "/" : string.Empty;
                    var name = names.For(item, field, record.Annotation?.Annotator);
                    if (!await CopyImageAsync(zip, $"images/{folder}{name}", item, options.Media, ct))
                    {
                        missing++;
                    }

                    var label = new StringBuilder();
                    foreach (var box in ExportValues.Regions(record.Result[field.Name]))
                    {
                        if (ExportValues.Label(box) is not { } value || !classes.TryGetValue(value, out var cls)
                            || !ExportValues.TryNumber(box["x"], out var x) || !ExportValues.TryNumber(box["y"], out var y)
                            || !ExportValues.TryNumber(box["width"], out var w) || !ExportValues.TryNumber(box["height"], out var h))
                        {
                            continue;
                        }

                        var x0 = Math.Clamp(x, 0, width);
                        var y0 = Math.Clamp(y, 0, height);
                        var x1 = Math.Clamp(x + w, 0, width);
                        var y1 = Math.Clamp(y + h, 0, height);
                        if (x1 <= x0 || y1 <= y0)
                        {
                            continue;
                        }

                        label.Append(cls).Append(' ')
                            .Append(Normal((x0 + x1) / 2 / width)).Append(' ')
                            .Append(Normal((y0 + y1) / 2 / height)).Append(' ')
                            .Append(Normal((x1 - x0) / width)).Append(' ')
                            .Append(Normal((y1 - y0) / height)).Append('\n');
                    }

                    await ExportValues.WriteTextEntryAsync(zip, $"labels/{folder}{Path.GetFileNameWithoutExtension(name)}.txt", label.ToString(), ct);
                    written++;
                }
            }

            await ExportValues.WriteTextEntryAsync(zip, "data.yaml", DataYaml(field, splitFolders, seenSplits), ct);
        }

        await stream.FlushAsync(ct);
        return new ExportResult(written, skipped, missing);
    }

    private static string Normal(double value) => ExportValues.Invariant(Math.Clamp(value, 0, 1), "F6");

    private static int SplitOrder(string split) => split switch
    {
        DatasetSplits.Train => 0,
        DatasetSplits.Validation => 1,
        _ => 2,
    };

    internal static async Task<bool> CopyImageAsync(ZipArchive zip, string entryName, ExportItem item, IMediaReader? media, CancellationToken ct)
    {
        if (item.MediaHash is not { } hash || media?.Open(hash) is not { } source)
        {
            return false;
        }

        await using (source)
        {
            var entry = ExportValues.CreateEntry(zip, entryName, compress: false);
            await using var target = await entry.OpenAsync(ct);
            await source.CopyToAsync(target, ct);
        }

        return true;
    }

    private static string DataYaml(SchemaField field, bool splitFolders, SortedSet<int> seen)
    {
        var yaml = new StringBuilder();
        yaml.Append("# YOLO dataset exported by LabelBench (boxes field ").Append(ExportValues.Quote(field.Name)).Append(")\n");
        yaml.Append("path: .\n");
        if (splitFolders)
        {
            yaml.Append("train: images/train\n");
            yaml.Append(seen.Contains(1) ? "val: images/validation\n" : "val: images/train  # no validation split: the trainer needs one\n");
            if (seen.Contains(2))
            {
                yaml.Append("test: images/test\n");
            }
        }
        else
        {
            yaml.Append("train: images\n");
            yaml.Append("val: images  # no splits: validation uses the same images\n");
        }

        yaml.Append("nc: ").Append(field.Options.Count).Append('\n');
        yaml.Append("names:\n");
        for (var i = 0; i < field.Options.Count; i++)
        {
            yaml.Append("  ").Append(i).Append(": ").Append(ExportValues.Quote(field.Options[i].Value)).Append('\n');
        }

        return yaml.ToString();
    }
}
