using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;

namespace LabelBench.Core.Import;

/// <summary>
/// Streams items from CSV: a header row (line 1) names the data keys, <c>id</c> is the external id, <c>split</c> the split.
/// </summary>
/// <remarks>
/// <para>Every column, <c>id</c> and <c>split</c> included, becomes a data key with the cell's text (as a JSONL object
/// without <c>data</c> keeps its id); an empty <c>id</c> or <c>split</c> cell means none.</para>
/// <para>The delimiter is the one of <c>, ; TAB |</c> that occurs most often outside quotes in the header line (comma on a tie
/// or when none occurs). Quoted fields may span lines; a record's line is the line it starts on, counting the header as 1.
/// A row with a different number of fields than the header, or with a stray quote, is refused with its line.</para>
/// <para>The file must be UTF-8 (a BOM is allowed). A seekable stream is checked before anything is yielded; a non-seekable one
/// may end with the whole-file rejection after records (see <see cref="ImportRow"/>). A header with an empty or repeated
/// column name also refuses the whole file.</para>
/// <para>A repeated id is the import's to refuse (it checks against the database, so memory stays flat however many
/// ids a file holds).</para>
/// </remarks>
public sealed class CsvItemReader : IItemReader
{
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    public async IAsyncEnumerable<ImportRow> ReadAsync(Stream stream, string sourceName, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (stream.CanSeek)
        {
            var start = stream.Position;
            var encodingProblem = await StrictUtf8.FindProblemAsync(stream, ct);
            if (encodingProblem is not null)
            {
                yield return ImportRow.Rejected(sourceName, 0, encodingProblem);
                yield break;
            }

            stream.Position = start;
        }

        using var reader = StrictUtf8.OpenReader(stream);
        var (header, headerLines, headerProblem) = await ReadHeaderAsync(reader, ct);
        if (headerProblem is not null)
        {
            yield return ImportRow.Rejected(sourceName, 0, headerProblem);
            yield break;
        }

        var columns = header!.Columns;
        var idColumn = Array.IndexOf(columns, "id");
        var splitColumn = Array.IndexOf(columns, "split");
        string? badField = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = header.Delimiter.ToString(),
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            BadDataFound = args => badField ??= args.Field,
        };

        using var csv = new CsvReader(reader, config);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            badField = null;
            var hasRow = false;
            var notUtf8 = false;
            try
            {
                hasRow = await csv.ReadAsync();
            }
            catch (Exception ex) when (ex is DecoderFallbackException || ex.InnerException is DecoderFallbackException)
            {
                notUtf8 = true;
            }

            if (notUtf8)
            {
                yield return ImportRow.Rejected(sourceName, 0, StrictUtf8.NotUtf8AfterLine(headerLines + csv.Parser.RawRow));
                yield break;
            }

            if (!hasRow)
            {
                yield break;
            }

            var line = headerLines + StartLine(csv.Parser.RawRow, csv.Parser.RawRecord);
            var fields = csv.Parser.Record ?? [];
            yield return ToRow(fields, line, badField);
        }

        ImportRow ToRow(string[] fields, int line, string? stray)
        {
            if (stray is not null)
            {
                return ImportRow.Rejected(sourceName, line, $"a quote inside an unquoted field ({Shorten(stray)}); quote the whole field and double the quotes inside it");
            }

            if (fields.Length != columns.Length)
            {
                return ImportRow.Rejected(sourceName, line, $"has {fields.Length} {(fields.Length == 1 ? "field" : "fields")} but the header has {columns.Length}");
            }

            var data = new JsonObject();
            for (var i = 0; i < columns.Length; i++)
            {
                data[columns[i]] = fields[i];
            }

            var split = splitColumn >= 0 && fields[splitColumn].Length > 0 ? fields[splitColumn] : null;
            if (split is not null && !DatasetSplits.IsValid(split))
            {
                return ImportRow.Rejected(sourceName, line, DatasetSplits.Problem(split));
            }

            var externalId = idColumn >= 0 && fields[idColumn].Length > 0 ? fields[idColumn] : null;
            return ImportRow.Accepted(new ImportRecord(line, externalId, data, [], split));
        }
    }

    /// <summary>The delimiter among <c>, ; TAB |</c> that occurs most often outside quotes; comma when none does.</summary>
    internal static char DetectDelimiter(string headerLine)
    {
        var counts = new int[Delimiters.Length];
        var quoted = false;
        foreach (var c in headerLine)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && Array.IndexOf(Delimiters, c) is var i and >= 0)
            {
                counts[i]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return Delimiters[best];
    }

    private sealed record Header(string[] Columns, char Delimiter);

    private static async Task<(Header? Header, int Lines, string? Problem)> ReadHeaderAsync(StreamReader reader, CancellationToken ct)
    {
        string? text;
        var lines = 0;
        try
        {
            text = await reader.ReadLineAsync(ct);
            lines = 1;

            // A quoted column name may hold a line break: keep reading while a quote is open.
            while (text is not null && text.Count(c => c == '"') % 2 == 1 && await reader.ReadLineAsync(ct) is { } more)
            {
                text += "\n" + more;
                lines++;
            }
        }
        catch (DecoderFallbackException)
        {
            return (null, 0, StrictUtf8.NotUtf8AfterLine(lines));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, 0, "the file is empty or its first line is blank: a CSV file starts with a header row naming its columns");
        }

        var delimiter = DetectDelimiter(text);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString(), HasHeaderRecord = false };
        using var parser = new CsvParser(new StringReader(text), config);
        var columns = parser.Read() ? parser.Record!.Select(c => c.Trim()).ToArray() : [];
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length == 0)
            {
                return (null, lines, $"the header (line 1) has no name for column {i + 1}; every column needs a name");
            }

            var first = Array.IndexOf(columns, columns[i]);
            if (first < i)
            {
                return (null, lines, $"the header (line 1) names column \"{columns[i]}\" twice (columns {first + 1} and {i + 1})");
            }
        }

        return (new Header(columns, delimiter), lines, null);
    }

    /// <summary>The 1-based line a record starts on, from the line it ends on and its raw text.</summary>
    private static int StartLine(int endLine, string rawRecord)
    {
        var breaks = 0;
        for (var i = 0; i < rawRecord.Length; i++)
        {
            if (rawRecord[i] == '\n' || (rawRecord[i] == '\r' && (i + 1 == rawRecord.Length || rawRecord[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        var endsWithBreak = rawRecord.Length > 0 && rawRecord[^1] is '\n' or '\r';
        return endLine - breaks + (endsWithBreak ? 1 : 0);
    }

    private static string Shorten(string field) => field.Length <= 40 ? field : field[..40] + "…";
}
