using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Core.Export;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Tests.Export;

/// <summary>Schemas and items for the training-format exporter tests.</summary>
internal static class ExportFormatSamples
{
    public static readonly DateTimeOffset At = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public static LabelSchema Schema(string json)
    {
        var parsed = LabelSchemaJson.Parse(json);
        Assert.True(parsed.IsValid, parsed.Describe());
        return parsed.Value!;
    }

    public static readonly LabelSchema Image = Schema("""
        {"fields": [
          {"name": "objects", "kind": "boxes", "source": "image", "labels": ["car", "person", "tree"]},
          {"name": "areas", "kind": "polygons", "source": "image", "labels": ["road", "car"]},
          {"name": "pose", "kind": "keypoints", "source": "image", "labels": ["nose", "left_eye", "right_eye"]}
        ]}
        """);

    public static readonly LabelSchema Ner = Schema("""
        {"fields": [{"name": "entities", "kind": "spans", "source": "text", "labels": ["PER", "ORG", "LOC", "DATE"]}]}
        """);

    public static readonly LabelSchema Preference = Schema("""
        {"fields": [
          {"name": "preference", "kind": "pairwise", "source": "prompt", "responses": ["response_a", "response_b"]},
          {"name": "order", "kind": "ranking", "source": "prompt", "responses": ["r0", "r1", "r2"]}
        ]}
        """);

    public static readonly LabelSchema Classification = Schema("""
        {"fields": [
          {"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "negative", "neutral"]},
          {"name": "topics", "kind": "choices", "source": "text", "multiple": true, "options": ["price", "quality", "delivery"]},
          {"name": "stars", "kind": "rating", "source": "text", "max": 5},
          {"name": "note", "kind": "text", "source": "text"},
          {"name": "entities", "kind": "spans", "source": "text", "labels": ["PER"]}
        ]}
        """);

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static ExportAnnotation Annotation(long id, string annotator, string result) =>
        new(id, annotator, 1, "submitted", Obj(result), 1000, At.AddMinutes(id));

    public static ExportItem Item(long id, string data, string? final, string? split = null, params ExportAnnotation[] annotations) =>
        new(id, $"ext-{id}", Obj(data), split, annotations, final is null ? null : Obj(final), final is null ? FinalSources.None : FinalSources.Agreement);

    public static ExportItem ImageItem(long id, string file, int width, int height, string? final, string? split = null, params ExportAnnotation[] annotations) =>
        Item(id, $$"""{"image": "images/{{file}}"}""", final, split, annotations) with
        {
            Width = width,
            Height = height,
            MediaHash = $"hash-{id}",
            MediaType = "image/png",
        };

    public static async IAsyncEnumerable<ExportItem> Stream(IEnumerable<ExportItem> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    public static async Task<byte[]> ExportAsync(string format, IEnumerable<ExportItem> items, ExportOptions options)
    {
        using var stream = new MemoryStream();
        await ExportFormats.WriteAsync(format, Stream(items), stream, options);
        return stream.ToArray();
    }

    /// <summary>Every entry of a zip, name → bytes.</summary>
    public static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries[entry.FullName] = copy.ToArray();
        }

        return entries;
    }

    public static string Utf8Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>A media store of fake PNG bytes per hash.</summary>
    public static IMediaReader Media() => new DelegateMediaReader(hash => new MemoryStream(Encoding.ASCII.GetBytes("PNG:" + hash)));
}
