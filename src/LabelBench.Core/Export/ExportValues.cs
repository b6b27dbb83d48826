using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Json;

namespace LabelBench.Core.Export;

/// <summary>Small conversions the exporters share: JSON values to text and numbers, and zip entries with fixed timestamps.</summary>
internal static class ExportValues
{
    /// <summary>Zip entries carry this time, so the same input gives the same archive bytes.</summary>
    public static readonly DateTimeOffset ZipTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static readonly JsonSerializerOptions CompactJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>A string as is, any other JSON value as compact JSON, null as null.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(CompactJson),
    };

    public static bool TryNumber(JsonNode? node, out double value) => JsonNumber.TryGetDouble(node, out value);

    public static bool TryInt(JsonNode? node, out int value) => JsonNumber.TryGetInt(node, out value);

    public static string? Label(JsonNode? region) => JsonNumber.TryGetString(region?["label"], out var s) ? s : null;

    /// <summary>A list value as its elements; anything else (missing, null, a scalar) as nothing.</summary>
    public static IEnumerable<JsonObject> Regions(JsonNode? value) =>
        value is JsonArray a ? a.OfType<JsonObject>() : [];

    public static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        _ => JsonNumber.TryGetString(value, out var s) && s.Length == 0,
    };

    public static string Invariant(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static ZipArchiveEntry CreateEntry(ZipArchive zip, string name, bool compress = true)
    {
        var entry = zip.CreateEntry(name, compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
        entry.LastWriteTime = ZipTime;
        return entry;
    }

    public static async Task WriteTextEntryAsync(ZipArchive zip, string name, string text, CancellationToken ct)
    {
        var entry = CreateEntry(zip, name);
        await using var stream = await entry.OpenAsync(ct);
        var bytes = Utf8.GetBytes(text);
        await stream.WriteAsync(bytes, ct);
    }

    /// <summary>A JSON/YAML double-quoted string (JSON escapes are valid YAML escapes).</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value, CompactJson);

    /// <summary>Keeps letters, digits, dot, dash and underscore; anything else becomes an underscore.</summary>
    public static string SafeFileName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            builder.Append(Rune.IsLetterOrDigit(rune) || rune.Value is '.' or '-' or '_' ? rune.ToString() : "_");
        }

        var safe = builder.ToString().Trim('.');
        return safe.Length == 0 ? "_" : safe;
    }
}
