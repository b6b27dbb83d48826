using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace LabelBench.Core.Agreement;

/// <summary>
/// Reads judgements for <c>labelbench agreement --input FILE</c>: CSV with a header naming the columns <c>item</c>,
/// <c>annotator</c> and <c>label</c> (any order, any case; other columns ignored), or JSON objects with those keys,
/// one per line (.jsonl) or in an array (.json). One judgement per row; an empty or null label is a missing judgement.
/// Streams the file. Every error is an <see cref="AgreementInputException"/> naming the file, the 1-based line and the field.
/// </summary>
public static class AgreementInputReader
{
    public const string ItemField = "item";
    public const string AnnotatorField = "annotator";
    public const string LabelField = "label";

    /// <summary>Reads a .csv, .jsonl (.ndjson) or .json file, chosen by extension.</summary>
    public static JudgementSet Read(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".jsonl" or ".ndjson" or ".json"))
        {
            throw new AgreementInputException(
                path, 0, null, $"cannot tell the format from the extension '{extension}'; use .csv, .jsonl or .json");
        }

        if (!File.Exists(path))
        {
            throw new AgreementInputException(path, 0, null, "the file does not exist");
        }

        // Sniffed on its own reader so that the skipped blank lines still count in line numbers.
        var isArray = extension == ".json" && StartsWithArray(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return extension switch
        {
            ".csv" => ReadCsv(reader, path),
            _ when isArray => ReadJsonArray(reader, path),
            _ => ReadJsonLines(reader, path),
        };
    }

    /// <summary>Reads CSV with a header row; <paramref name="sourceName"/> names the input in errors.</summary>
    public static JudgementSet ReadCsv(TextReader reader, string sourceName)
    {
        var builder = new JudgementSetBuilder();
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        try
        {
            if (!csv.Read())
            {
                throw new AgreementInputException(
                    sourceName, 1, null, "the file is empty; it needs a header row with the columns item, annotator and label");
            }

            csv.ReadHeader();
            var header = csv.HeaderRecord ?? [];
            var columns = new[] { ItemField, AnnotatorField, LabelField }.Select(field => Column(header, field, sourceName)).ToArray();
            while (csv.Read())
            {
                var values = new string?[3];
                for (var f = 0; f < 3; f++)
                {
                    if (columns[f] >= csv.Parser.Count)
                    {
                        throw new AgreementInputException(
                            sourceName, StartLine(csv.Parser), FieldName(f), $"the row has {csv.Parser.Count} fields, but the header has {header.Length}");
                    }

                    values[f] = csv.GetField(columns[f])?.Trim();
                }

                Add(builder, values[0], values[1], values[2], sourceName, () => StartLine(csv.Parser));
            }
        }
        catch (CsvHelperException e)
        {
            var firstLine = e.Message.Split('\n', 2)[0].Trim();
            throw new AgreementInputException(sourceName, csv.Parser.RawRow, null, $"not valid CSV: {firstLine}", e);
        }

        return builder.Build();
    }

    /// <summary>Reads JSON Lines: one object per line, blank lines skipped.</summary>
    public static JudgementSet ReadJsonLines(TextReader reader, string sourceName)
    {
        var builder = new JudgementSetBuilder();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                AddJsonObject(builder, line, lineNumber, sourceName);
            }
        }

        return builder.Build();
    }

    /// <summary>Reads a JSON array of objects, one object in memory at a time.</summary>
    public static JudgementSet ReadJsonArray(TextReader reader, string sourceName)
    {
        var builder = new JudgementSetBuilder();
        foreach (var (text, line) in JsonArrayElements.Split(reader, sourceName))
        {
            AddJsonObject(builder, text, line, sourceName);
        }

        return builder.Build();
    }

    private static void AddJsonObject(JudgementSetBuilder builder, string text, long line, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new AgreementInputException(sourceName, line + (e.LineNumber ?? 0), null, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AgreementInputException(
                    sourceName, line, null, $"expected an object with item, annotator and label, found {Describe(root.ValueKind)}");
            }

            var item = JsonText(root, ItemField, sourceName, line);
            var annotator = JsonText(root, AnnotatorField, sourceName, line);
            var label = JsonText(root, LabelField, sourceName, line);
            Add(builder, item, annotator, label?.Trim(), sourceName, () => line);
        }
    }

    private static string? JsonText(JsonElement root, string field, string sourceName, long line)
    {
        if (!root.TryGetProperty(field, out var value))
        {
            var hint = field == LabelField ? " (use null or \"\" for a missing judgement)" : string.Empty;
            throw new AgreementInputException(sourceName, line, field, $"the object has no \"{field}\"{hint}");
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => null,
            _ => throw new AgreementInputException(
                sourceName, line, field, $"expected a string or a number, found {Describe(value.ValueKind)}"),
        };
    }

    private static void Add(JudgementSetBuilder builder, string? item, string? annotator, string? label, string sourceName, Func<long> line)
    {
        if (string.IsNullOrWhiteSpace(item))
        {
            throw new AgreementInputException(sourceName, line(), ItemField, "the item id is empty");
        }

        if (string.IsNullOrWhiteSpace(annotator))
        {
            throw new AgreementInputException(sourceName, line(), AnnotatorField, "the annotator id is empty");
        }

        try
        {
            builder.Add(item.Trim(), annotator.Trim(), label);
        }
        catch (AgreementException e)
        {
            throw new AgreementInputException(sourceName, line(), null, e.Message, e);
        }
    }

    private static int Column(string[] header, string field, string sourceName)
    {
        var index = Array.FindIndex(header, h => string.Equals(h.Trim(), field, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new AgreementInputException(
                sourceName, 1, field, $"the header has no '{field}' column (it has: {string.Join(", ", header)})");
        }

        return index;
    }

    private static string FieldName(int f) => f switch { 0 => ItemField, 1 => AnnotatorField, _ => LabelField };

    /// <summary>The line a record starts on: CsvHelper's RawRow is the line it ends on, which differs when a quoted field spans lines.</summary>
    private static long StartLine(CsvHelper.IParser parser)
    {
        var raw = parser.RawRecord.AsSpan().TrimEnd("\r\n");
        return parser.RawRow - raw.Count('\n');
    }

    private static bool StartsWithArray(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (reader.Peek() is var c && c >= 0 && char.IsWhiteSpace((char)c))
        {
            reader.Read();
        }

        return reader.Peek() == '[';
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
