using System.Buffers;
using System.Text;
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

    // Property names encoded once: a name given as a string is transcoded and checked for escapes on every write,
    // some twenty times per line.
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText ExternalId = JsonEncodedText.Encode("externalId");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText Split = JsonEncodedText.Encode("split");
    private static readonly JsonEncodedText Annotations = JsonEncodedText.Encode("annotations");
    private static readonly JsonEncodedText Final = JsonEncodedText.Encode("final");
    private static readonly JsonEncodedText FinalSource = JsonEncodedText.Encode("finalSource");
    private static readonly JsonEncodedText Annotator = JsonEncodedText.Encode("annotator");
    private static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("schemaVersion");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Result = JsonEncodedText.Encode("result");
    private static readonly JsonEncodedText TimeSpentMs = JsonEncodedText.Encode("timeSpentMs");
    private static readonly JsonEncodedText SubmittedAt = JsonEncodedText.Encode("submittedAt");

    private static void WriteItem(Utf8JsonWriter json, ExportItem item, bool withAnnotations)
    {
        json.WriteStartObject();
        json.WriteNumber(Id, item.ItemId);
        WriteStringOrNull(json, ExternalId, item.ExternalId);
        json.WritePropertyName(Data);
        item.StoredData.WriteTo(json);
        WriteStringOrNull(json, Split, item.Split);
        if (withAnnotations)
        {
            json.WriteStartArray(Annotations);
            foreach (var annotation in item.Annotations)
            {
                WriteAnnotation(json, annotation);
            }

            json.WriteEndArray();
        }

        json.WritePropertyName(Final);
        WriteNodeOrNull(json, item.FinalResult);
        json.WriteString(FinalSource, item.FinalSource);
        json.WriteEndObject();
    }

    private static void WriteAnnotation(Utf8JsonWriter json, ExportAnnotation annotation)
    {
        json.WriteStartObject();
        json.WriteNumber(Id, annotation.Id);
        json.WriteString(Annotator, annotation.Annotator);
        json.WriteNumber(SchemaVersion, annotation.SchemaVersion);
        json.WriteString(Status, annotation.Status);
        json.WritePropertyName(Result);
        annotation.StoredResult.WriteTo(json);
        json.WriteNumber(TimeSpentMs, annotation.TimeSpentMs);
        Span<byte> time = stackalloc byte[TimeLength];
        FormatTime(annotation.SubmittedAt, time);
        json.WriteString(SubmittedAt, time);
        json.WriteEndObject();
    }

    private const int TimeLength = 24;

    /// <summary>UTC with milliseconds, <c>2026-03-01T09:00:00.000Z</c>.</summary>
    internal static string FormatTime(DateTimeOffset time)
    {
        Span<byte> utf8 = stackalloc byte[TimeLength];
        FormatTime(time, utf8);
        return Encoding.ASCII.GetString(utf8);
    }

    /// <summary><see cref="FormatTime(DateTimeOffset)"/> as UTF-8 into <paramref name="utf8"/> (24 bytes), without a string or a format string to interpret.</summary>
    internal static void FormatTime(DateTimeOffset time, Span<byte> utf8)
    {
        var t = time.UtcDateTime;
        Digits(utf8[..4], t.Year);
        utf8[4] = (byte)'-';
        Digits(utf8[5..7], t.Month);
        utf8[7] = (byte)'-';
        Digits(utf8[8..10], t.Day);
        utf8[10] = (byte)'T';
        Digits(utf8[11..13], t.Hour);
        utf8[13] = (byte)':';
        Digits(utf8[14..16], t.Minute);
        utf8[16] = (byte)':';
        Digits(utf8[17..19], t.Second);
        utf8[19] = (byte)'.';
        Digits(utf8[20..23], t.Millisecond);
        utf8[23] = (byte)'Z';
    }

    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, JsonEncodedText name, string? value)
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
