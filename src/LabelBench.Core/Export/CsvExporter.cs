using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes one CSV row per item: <c>id, externalId, split</c>, the data columns, one column per schema field with the
/// final value, and <c>finalSource</c>; every cell is made safe for spreadsheets (<see cref="SpreadsheetCell"/>).
/// </summary>
/// <remarks>
/// Data columns are <see cref="ExportOptions.DataKeys"/> or else the keys the schema reads; text is written as is, other
/// JSON values as JSON. A label column is named after its field, or <c>final.&lt;name&gt;</c> when that name is already
/// a column. Final values: a string or number as is, a list of strings or numbers joined with <c>|</c> (multiple choices,
/// ranking), anything structured (spans, boxes, pairwise, ...) as compact JSON; empty without a final result.
/// With <see cref="ExportSource.All"/> every item is written, otherwise only items with a final result.
/// With <see cref="ExportOptions.OneRowPerAnnotation"/> (and <see cref="ExportSource.All"/>) a row is one submitted
/// annotation instead: <c>annotator, annotationId, submittedAt, timeSpentMs</c> follow the data columns, the field
/// columns hold that annotator's values, there is no <c>finalSource</c>, and an item nobody labelled yet still gets one
/// row with those cells empty.
/// UTF-8 without BOM, CRLF line ends (RFC 4180), invariant culture: the same input gives the same bytes.
/// </remarks>
public static class CsvExporter
{
    public const string ListSeparator = "|";

    private static readonly JsonSerializerOptions CompactJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Writes the header and every included item, and returns how many rows were written. Leaves <paramref name="stream"/> open.</summary>
    public static async Task<int> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var schema = options.Schema ?? throw new ArgumentException("a CSV export needs the project's schema for its label columns", nameof(options));
        var dataKeys = options.DataKeys ?? schema.DataKeys().ToList();
        var header = new List<string> { "id", "externalId", "split" };
        header.AddRange(dataKeys);
        var perAnnotation = options.OneRowPerAnnotation && options.Source == ExportSource.All;
        if (perAnnotation)
        {
            header.AddRange(AnnotationColumns);
        }

        var taken = new HashSet<string>(header, StringComparer.Ordinal);
        foreach (var field in schema.Fields)
        {
            header.Add(taken.Add(field.Name) ? field.Name : $"final.{field.Name}");
        }

        if (!perAnnotation)
        {
            header.Add("finalSource");
        }

        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = "\r\n",
            // With NewLine set, CsvHelper quotes only fields holding the whole "\r\n"; a lone CR or LF left unquoted would
            // start a new row in a spreadsheet, whose first cell then escapes the formula guard.
            ShouldQuote = args => ConfigurationFunctions.ShouldQuote(args) || (args.Field?.AsSpan().IndexOfAny('\r', '\n') ?? -1) >= 0,
        };
        await using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, config);
        foreach (var name in header)
        {
            csv.WriteField(SpreadsheetCell.Neutralise(name));
        }

        await csv.NextRecordAsync();
        var written = 0;
        await foreach (var item in items.WithCancellation(ct))
        {
            if (!options.Includes(item))
            {
                continue;
            }

            if (perAnnotation)
            {
                var annotations = item.Annotations.Where(a => a.Status == "submitted").ToList();
                foreach (var annotation in annotations)
                {
                    WriteItemCells(csv, item, dataKeys);
                    WriteCell(csv, annotation.Annotator);
                    WriteCell(csv, annotation.Id.ToString(CultureInfo.InvariantCulture));
                    WriteCell(csv, JsonlExporter.FormatTime(annotation.SubmittedAt));
                    WriteCell(csv, annotation.TimeSpentMs.ToString(CultureInfo.InvariantCulture));
                    WriteFieldCells(csv, schema, annotation.Result);
                    await csv.NextRecordAsync();
                    written++;
                }

                if (annotations.Count == 0)
                {
                    WriteItemCells(csv, item, dataKeys);
                    foreach (var _ in AnnotationColumns)
                    {
                        WriteCell(csv, null);
                    }

                    WriteFieldCells(csv, schema, null);
                    await csv.NextRecordAsync();
                    written++;
                }

                continue;
            }

            WriteItemCells(csv, item, dataKeys);
            WriteFieldCells(csv, schema, item.FinalResult);
            WriteCell(csv, item.FinalSource);
            await csv.NextRecordAsync();
            written++;
        }

        await csv.FlushAsync();
        await text.FlushAsync(ct);
        return written;
    }

    private static readonly string[] AnnotationColumns = ["annotator", "annotationId", "submittedAt", "timeSpentMs"];

    private static void WriteItemCells(CsvWriter csv, ExportItem item, IReadOnlyList<string> dataKeys)
    {
        WriteCell(csv, item.ItemId.ToString(CultureInfo.InvariantCulture));
        WriteCell(csv, item.ExternalId);
        WriteCell(csv, item.Split);
        foreach (var key in dataKeys)
        {
            WriteCell(csv, DataCell(item.Data[key]));
        }
    }

    private static void WriteFieldCells(CsvWriter csv, Schemas.LabelSchema schema, JsonObject? result)
    {
        foreach (var field in schema.Fields)
        {
            WriteCell(csv, FinalCell(result?[field.Name]));
        }
    }

    private static void WriteCell(CsvWriter csv, string? value) => csv.WriteField(SpreadsheetCell.Neutralise(value ?? string.Empty));

    private static string DataCell(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(CompactJson),
    };

    private static string FinalCell(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v => v.ToJsonString(CompactJson),
        JsonArray a when a.All(e => e is JsonValue) => string.Join(ListSeparator, a.Select(FinalCell)),
        _ => node.ToJsonString(CompactJson),
    };
}
