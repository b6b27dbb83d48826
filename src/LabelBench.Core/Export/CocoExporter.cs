using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes a COCO object-detection JSON file: <c>info</c>, <c>licenses</c>, <c>categories</c>, <c>annotations</c>, <c>images</c>.
/// </summary>
/// <remarks>
/// <para>Categories are the labels of the schema's boxes and polygons fields in schema order (a label used by two
/// fields is one category), with ids 1..N; each keypoints field is one more category (named after the field) whose
/// <c>keypoints</c> are its labels in schema order.</para>
/// <para>Each image is one item: <c>id</c> is the item id, <c>file_name</c> the base name of the path in the item's
/// data, <c>width</c>/<c>height</c> the item's decoded size; an item without a known size is skipped (counted in
/// <see cref="ExportResult.Skipped"/>). Annotations are numbered 1..M in order of writing: a box becomes
/// <c>bbox [x, y, width, height]</c> with <c>area</c> width × height and an empty <c>segmentation</c>; a polygon
/// becomes <c>segmentation [[x1, y1, ...]]</c> with its bounding box and its (shoelace) area; the points of a keypoints
/// field become one instance per repetition of a label (<c>[x, y, 2]</c> when marked, <c>[0, 0, 0]</c> when not), with
/// the bounding box of the marked points. <c>iscrowd</c> is 0.</para>
/// <para>With <see cref="ExportSource.All"/> an image appears once and every submitted annotation adds its regions,
/// each carrying <c>"annotator"</c> (COCO readers ignore keys they do not know).</para>
/// <para>Images are held back in scratch storage while the annotations stream, then written after them: key order
/// does not matter to JSON readers, and memory stays flat.</para>
/// </remarks>
public static class CocoExporter
{
    public static async Task<ExportResult> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var schema = options.RequireSchema("COCO");
        var regionFields = schema.Fields.Where(f => f.Kind is FieldKind.Boxes or FieldKind.Polygons).ToList();
        var keypointFields = schema.Fields.Where(f => f.Kind == FieldKind.Keypoints).ToList();
        var imageField = schema.Fields.FirstOrDefault(f => f.Kind.IsImageKind())
            ?? throw new ArgumentException("a COCO export needs a boxes, polygons or keypoints field");
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        var categoryList = new List<(int Id, string Name, string Super)>();
        foreach (var field in regionFields)
        {
            foreach (var option in field.Options)
            {
                if (!categories.ContainsKey(option.Value))
                {
                    categories[option.Value] = categories.Count + 1;
                    categoryList.Add((categories.Count, option.Value, field.Name));
                }
            }
        }

        var keypointCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var field in keypointFields)
        {
            keypointCategory[field.Name] = categoryList.Count + keypointCategory.Count + 1;
        }

        await using var scratch = options.NewScratch();
        var names = new ImageNames();
        var written = 0;
        var skipped = 0;
        long annotationId = 0;
        await using (var images = new Utf8JsonWriter(scratch, ExportValues.WriterOptions))
        {
            await using var json = new Utf8JsonWriter(stream, ExportValues.WriterOptions with { SkipValidation = true });
            json.WriteStartObject();
            json.WriteStartObject("info");
            json.WriteString("description", "LabelBench export");
            json.WriteString("version", "1.0");
            json.WriteEndObject();
            json.WriteStartArray("licenses");
            json.WriteEndArray();
            json.WriteStartArray("categories");
            foreach (var (id, name, super) in categoryList)
            {
                json.WriteStartObject();
                json.WriteNumber("id", id);
                json.WriteString("name", name);
                json.WriteString("supercategory", super);
                json.WriteEndObject();
            }

            foreach (var field in keypointFields)
            {
                json.WriteStartObject();
                json.WriteNumber("id", keypointCategory[field.Name]);
                json.WriteString("name", field.Name);
                json.WriteString("supercategory", field.Name);
                json.WriteStartArray("keypoints");
                foreach (var option in field.Options)
                {
                    json.WriteStringValue(option.Value);
                }

                json.WriteEndArray();
                json.WriteStartArray("skeleton");
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("annotations");
            images.WriteStartArray();
            await foreach (var item in items.WithCancellation(ct))
            {
                var records = LabelRecord.Of(item, options.Source).ToList();
                if (records.Count == 0)
                {
                    continue;
                }

                if (item.Width is not { } width || item.Height is not { } height)
                {
                    skipped += records.Count;
                    continue;
                }

                images.WriteStartObject();
                images.WriteNumber("id", item.ItemId);
                images.WriteString("file_name", names.For(item, imageField));
                images.WriteNumber("width", width);
                images.WriteNumber("height", height);
                images.WriteEndObject();
                foreach (var record in records)
                {
                    foreach (var field in regionFields)
                    {
                        foreach (var region in ExportValues.Regions(record.Result[field.Name]))
                        {
                            if (ExportValues.Label(region) is not { } label || !categories.TryGetValue(label, out var category))
                            {
                                continue;
                            }

                            var geometry = field.Kind == FieldKind.Boxes ? Box(region) : Polygon(region);
                            if (geometry is null)
                            {
                                continue;
                            }

                            WriteAnnotation(json, ++annotationId, item.ItemId, category, geometry.Value, record.Annotation);
                        }
                    }

                    foreach (var field in keypointFields)
                    {
                        foreach (var instance in KeypointInstances(field, record.Result[field.Name]))
                        {
                            WriteKeypoints(json, ++annotationId, item.ItemId, keypointCategory[field.Name], instance, record.Annotation);
                        }
                    }

                    written++;
                }

                if (json.BytesPending > 64 * 1024)
                {
                    await json.FlushAsync(ct);
                }

                if (images.BytesPending > 64 * 1024)
                {
                    await images.FlushAsync(ct);
                }
            }

            json.WriteEndArray();
            images.WriteEndArray();
            await images.FlushAsync(ct);
            await json.FlushAsync(ct);
        }

        await stream.WriteAsync(",\"images\":"u8.ToArray(), ct);
        scratch.Position = 0;
        await scratch.CopyToAsync(stream, ct);
        await stream.WriteAsync("}"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
        return new ExportResult(written, skipped);
    }

    private readonly record struct Geometry(double X, double Y, double Width, double Height, double Area, double[]? Polygon);

    private static Geometry? Box(JsonObject region)
    {
        if (!ExportValues.TryNumber(region["x"], out var x) || !ExportValues.TryNumber(region["y"], out var y)
            || !ExportValues.TryNumber(region["width"], out var w) || !ExportValues.TryNumber(region["height"], out var h))
        {
            return null;
        }

        return new Geometry(x, y, w, h, w * h, null);
    }

    private static Geometry? Polygon(JsonObject region)
    {
        if (region["points"] is not JsonArray points || points.Count < 3)
        {
            return null;
        }

        var flat = new double[points.Count * 2];
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i] is not JsonArray p || p.Count != 2 || !ExportValues.TryNumber(p[0], out flat[2 * i]) || !ExportValues.TryNumber(p[1], out flat[(2 * i) + 1]))
            {
                return null;
            }
        }

        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue, twiceArea = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var (x0, y0) = (flat[2 * i], flat[(2 * i) + 1]);
            var j = (i + 1) % points.Count;
            twiceArea += (x0 * flat[(2 * j) + 1]) - (flat[2 * j] * y0);
            minX = Math.Min(minX, x0);
            minY = Math.Min(minY, y0);
            maxX = Math.Max(maxX, x0);
            maxY = Math.Max(maxY, y0);
        }

        return new Geometry(minX, minY, maxX - minX, maxY - minY, Math.Abs(twiceArea) / 2, flat);
    }

    /// <summary>The n-th mark of each label makes instance n, so a field marking two noses holds two instances.</summary>
    private static List<(double X, double Y)?[]> KeypointInstances(SchemaField field, JsonNode? value)
    {
        var instances = new List<(double X, double Y)?[]>();
        var index = field.Options.Select((o, i) => (o.Value, i)).ToDictionary(p => p.Value, p => p.i, StringComparer.Ordinal);
        foreach (var point in ExportValues.Regions(value))
        {
            if (ExportValues.Label(point) is not { } label || !index.TryGetValue(label, out var slot)
                || !ExportValues.TryNumber(point["x"], out var x) || !ExportValues.TryNumber(point["y"], out var y))
            {
                continue;
            }

            var target = instances.FirstOrDefault(i => i[slot] is null);
            if (target is null)
            {
                target = new (double X, double Y)?[field.Options.Count];
                instances.Add(target);
            }

            target[slot] = (x, y);
        }

        return instances;
    }

    private static void WriteAnnotation(Utf8JsonWriter json, long id, long imageId, int category, Geometry g, ExportAnnotation? annotation)
    {
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteNumber("image_id", imageId);
        json.WriteNumber("category_id", category);
        json.WriteStartArray("bbox");
        json.WriteNumberValue(g.X);
        json.WriteNumberValue(g.Y);
        json.WriteNumberValue(g.Width);
        json.WriteNumberValue(g.Height);
        json.WriteEndArray();
        json.WriteNumber("area", g.Area);
        json.WriteStartArray("segmentation");
        if (g.Polygon is { } polygon)
        {
            json.WriteStartArray();
            foreach (var v in polygon)
            {
                json.WriteNumberValue(v);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteNumber("iscrowd", 0);
        WriteAnnotator(json, annotation);
        json.WriteEndObject();
    }

    private static void WriteKeypoints(Utf8JsonWriter json, long id, long imageId, int category, (double X, double Y)?[] points, ExportAnnotation? annotation)
    {
        var marked = points.Where(p => p is not null).Select(p => p!.Value).ToList();
        var minX = marked.Min(p => p.X);
        var minY = marked.Min(p => p.Y);
        var w = marked.Max(p => p.X) - minX;
        var h = marked.Max(p => p.Y) - minY;
        json.WriteStartObject();
        json.WriteNumber("id", id);
        json.WriteNumber("image_id", imageId);
        json.WriteNumber("category_id", category);
        json.WriteStartArray("keypoints");
        foreach (var p in points)
        {
            json.WriteNumberValue(p?.X ?? 0);
            json.WriteNumberValue(p?.Y ?? 0);
            json.WriteNumberValue(p is null ? 0 : 2);
        }

        json.WriteEndArray();
        json.WriteNumber("num_keypoints", marked.Count);
        json.WriteStartArray("bbox");
        json.WriteNumberValue(minX);
        json.WriteNumberValue(minY);
        json.WriteNumberValue(w);
        json.WriteNumberValue(h);
        json.WriteEndArray();
        json.WriteNumber("area", w * h);
        json.WriteStartArray("segmentation");
        json.WriteEndArray();
        json.WriteNumber("iscrowd", 0);
        WriteAnnotator(json, annotation);
        json.WriteEndObject();
    }

    private static void WriteAnnotator(Utf8JsonWriter json, ExportAnnotation? annotation)
    {
        if (annotation is not null)
        {
            json.WriteString("annotator", annotation.Annotator);
        }
    }
}
