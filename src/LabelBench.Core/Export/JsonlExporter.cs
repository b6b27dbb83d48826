using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes the full-fidelity JSONL export: one object a line,
/// <c>{"id", "externalId", "data", "split", "annotations", "final", "finalSource"}</c>, the same bytes for the same input.
/// </summary>
/// <remarks>
/// With <see cref="ExportSource.All"/> every item is written with all its annotations; with <see cref="ExportSource.Final"/>
/// or <see cref="ExportSource.Majority"/> only items that have a final result, without the <c>annotations</c> key.
/// Keys come in a fixed order, item data keeps its own order, times are UTC with milliseconds, lines end in <c>\n</c>, and
/// non-ASCII text is written as UTF-8 rather than <c>\u</c> escapes (the file is data, never embedded in HTML).
/// </remarks>
public static class JsonlExporter
{
    private const int FlushBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Writes every included item and returns how many were written. Leaves <paramref name="stream"/> open.</summary>
    public static async Task<int> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        await using var json = new Utf8JsonWriter(buffer, WriterOptions);
        var written = 0;
        await foreach (var item in items.WithCancellation(ct))
        {
            if (!options.Includes(item))
            {
                continue;
            }

            WriteItem(json, item, options.Source == ExportSource.All);
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
            written++;
            if (buffer.WrittenCount >= FlushBytes)
            {
                await stream.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
        }

        await stream.WriteAsync(buffer.WrittenMemory, ct);
        await stream.FlushAsync(ct);
        return written;
    }

    private static void WriteItem(Utf8JsonWriter json, ExportItem item, bool withAnnotations)
    {
        json.WriteStartObject();
        json.WriteNumber("id", item.ItemId);
        WriteStringOrNull(json, "externalId", item.ExternalId);
        json.WritePropertyName("data");
        item.StoredData.WriteTo(json);
        WriteStringOrNull(json, "split", item.Split);
        if (withAnnotations)
        {
            json.WriteStartArray("annotations");
            foreach (var annotation in item.Annotations)
            {
                WriteAnnotation(json, annotation);
            }

            json.WriteEndArray();
        }

        json.WritePropertyName("final");
        WriteNodeOrNull(json, item.FinalResult);
        json.WriteString("finalSource", item.FinalSource);
        json.WriteEndObject();
    }

    private static void WriteAnnotation(Utf8JsonWriter json, ExportAnnotation annotation)
    {
        json.WriteStartObject();
        json.WriteNumber("id", annotation.Id);
        json.WriteString("annotator", annotation.Annotator);
        json.WriteNumber("schemaVersion", annotation.SchemaVersion);
        json.WriteString("status", annotation.Status);
        json.WritePropertyName("result");
        annotation.StoredResult.WriteTo(json);
        json.WriteNumber("timeSpentMs", annotation.TimeSpentMs);
        Span<byte> time = stackalloc byte[32];
        json.WriteString("submittedAt", time[..FormatTime(annotation.SubmittedAt, time)]);
        json.WriteEndObject();
    }

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    internal static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary><see cref="FormatTime(DateTimeOffset)"/> as UTF-8 into <paramref name="utf8"/>, without a string; returns the length.</summary>
    internal static int FormatTime(DateTimeOffset time, Span<byte> utf8) =>
        time.UtcDateTime.TryFormat(utf8, out var written, TimeFormat, CultureInfo.InvariantCulture) ? written : throw new ArgumentException("buffer too small", nameof(utf8));

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNodeOrNull(Utf8JsonWriter json, JsonNode? node)
    {
        if (node is null)
        {
            json.WriteNullValue();
        }
        else
        {
            node.WriteTo(json);
        }
    }
}
