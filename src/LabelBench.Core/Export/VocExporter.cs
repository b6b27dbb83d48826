using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using LabelBench.Core.Import;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes a zip in the Pascal VOC layout: <c>Annotations/&lt;stem&gt;.xml</c> per image, <c>JPEGImages/&lt;name&gt;</c> when
/// the media store has the image, and <c>ImageSets/Main/&lt;split&gt;.txt</c> listing the stems of each split.
/// </summary>
/// <remarks>
/// <para>Each XML file is <c>&lt;annotation&gt;</c> with <c>folder</c>, <c>filename</c>, <c>source</c>, <c>size</c>
/// (width, height, depth 3), <c>segmented</c> 0 and one <c>object</c> per box of the schema's first boxes field:
/// <c>name</c>, <c>pose</c> Unspecified, <c>truncated</c>, <c>difficult</c> 0 and <c>bndbox</c>. Box corners are whole
/// pixels in VOC's 1-based convention: <c>xmin = round(x) + 1</c>, <c>xmax = round(x + width)</c>, clipped to
/// 1..width (and likewise for y), so <c>1 ≤ xmin ≤ xmax ≤ width</c>; <c>truncated</c> is 1 when the box was clipped.</para>
/// <para>Items without a split are listed in <c>train.txt</c>. With <see cref="ExportSource.All"/> each submitted annotation
/// is its own XML file, <c>&lt;stem&gt;__&lt;annotator&gt;.xml</c>, whose <c>filename</c> names the one shared image.
/// An item without a known image size is skipped.</para>
/// </remarks>
public static class VocExporter
{
    private static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = ExportValues.Utf8,
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        OmitXmlDeclaration = true,
        Async = true,
    };

    public static async Task<ExportResult> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var schema = options.RequireSchema("Pascal VOC");
        var field = schema.Fields.FirstOrDefault(f => f.Kind == FieldKind.Boxes) ?? throw new ArgumentException("a Pascal VOC export needs a boxes field");
        var imageNames = new ImageNames();
        var sets = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
        var written = 0;
        var skipped = 0;
        var missing = 0;
        await using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8))
        {
            await foreach (var item in items.WithCancellation(ct))
            {
                var records = LabelRecord.Of(item, options.Source).ToList();
                if (records.Count == 0)
                {
                    continue;
                }

                if (item.Width is not { } width || item.Height is not { } height || width <= 0 || height <= 0)
                {
                    skipped += records.Count;
                    continue;
                }

                var imageName = imageNames.For(item, field);
                if (!await YoloExporter.CopyImageAsync(zip, $"JPEGImages/{imageName}", item, options.Media, ct))
                {
                    missing++;
                }

                var stem = Path.GetFileNameWithoutExtension(imageName);
                foreach (var record in records)
                {
                    var id = record.Annotation is null ? stem : $"{stem}__{ExportValues.SafeFileName(record.Annotation.Annotator)}";
                    var document = Document(imageName, width, height, field, record);
                    var entry = ExportValues.CreateEntry(zip, $"Annotations/{id}.xml");
                    await using (var entryStream = await entry.OpenAsync(ct))
                    {
                        await using var xml = XmlWriter.Create(entryStream, XmlSettings);
                        await document.SaveAsync(xml, ct);
                    }

                    var split = item.Split ?? DatasetSplits.Train;
                    if (!sets.TryGetValue(split, out var list))
                    {
                        sets[split] = list = new StringBuilder();
                    }

                    list.Append(id).Append('\n');
                    written++;
                }
            }

            foreach (var (split, list) in sets)
            {
                await ExportValues.WriteTextEntryAsync(zip, $"ImageSets/Main/{split}.txt", list.ToString(), ct);
            }
        }

        await stream.FlushAsync(ct);
        return new ExportResult(written, skipped, missing);
    }

    private static XDocument Document(string imageName, int width, int height, SchemaField field, LabelRecord record)
    {
        var annotation = new XElement("annotation",
            new XElement("folder", "JPEGImages"),
            new XElement("filename", imageName),
            new XElement("source", new XElement("database", "LabelBench")),
            new XElement("size", new XElement("width", width), new XElement("height", height), new XElement("depth", 3)),
            new XElement("segmented", 0));
        foreach (var box in ExportValues.Regions(record.Result[field.Name]))
        {
            if (ExportValues.Label(box) is not { } label
                || !ExportValues.TryNumber(box["x"], out var x) || !ExportValues.TryNumber(box["y"], out var y)
                || !ExportValues.TryNumber(box["width"], out var w) || !ExportValues.TryNumber(box["height"], out var h))
            {
                continue;
            }

            var (xmin, xmax, clippedX) = Corners(x, w, width);
            var (ymin, ymax, clippedY) = Corners(y, h, height);
            annotation.Add(new XElement("object",
                new XElement("name", label),
                new XElement("pose", "Unspecified"),
                new XElement("truncated", clippedX || clippedY ? 1 : 0),
                new XElement("difficult", 0),
                new XElement("bndbox",
                    new XElement("xmin", xmin.ToString(CultureInfo.InvariantCulture)),
                    new XElement("ymin", ymin.ToString(CultureInfo.InvariantCulture)),
                    new XElement("xmax", xmax.ToString(CultureInfo.InvariantCulture)),
                    new XElement("ymax", ymax.ToString(CultureInfo.InvariantCulture)))));
        }

        return new XDocument(annotation);
    }

    private static (int Min, int Max, bool Clipped) Corners(double start, double length, int size)
    {
        var min = (int)Math.Round(start, MidpointRounding.AwayFromZero) + 1;
        var max = (int)Math.Round(start + length, MidpointRounding.AwayFromZero);
        var clippedMin = Math.Clamp(min, 1, size);
        var clippedMax = Math.Clamp(max, clippedMin, size);
        return (clippedMin, clippedMax, clippedMin != min || clippedMax != max);
    }
}
