using System.Text;
using LabelBench.Data.Entities;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LabelBench.Data.Services;

/// <summary>
/// The SQLite path of <see cref="ExportPageReader"/>: the same SQL stepped through SQLite's own API. Over a million
/// rows the ADO.NET reader's per-column calls (a type check before every value, a new string for every text) were
/// most of the export's reading time; here a column costs one call, and the texts that repeat from row to row (the
/// annotator's id, the result of a classification, the split) are decoded once and then found by their bytes.
/// </summary>
internal sealed partial class ExportPageReader
{
    private const int SqliteRow = 100;
    private const int SqliteDone = 101;
    private const int SqliteNull = 5;

    /// <summary>Distinct repeated texts kept before the table starts again (results of span or box fields rarely repeat).</summary>
    private const int MaxRepeatedTexts = 10_000;

    private readonly Dictionary<string, string> repeated = new(StringComparer.Ordinal);

    private ExportPage ReadSqlite(SqliteConnection connection, long after, int size)
    {
        var db = connection.Handle!;
        var items = new List<ExportItemRow>(size);
        using (var statement = Prepare(db, itemsSql))
        {
            Bind(statement, db, "@project", projectId);
            Bind(statement, db, "@pending", 0);
            Bind(statement, db, "@after", after);
            Bind(statement, db, "@limit", size);
            if (split is not null)
            {
                Check(raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@split"), split), db);
            }

            var media = withExtraOverlap ? 5 : 4;
            while (Step(statement, db))
            {
                items.Add(new ExportItemRow(
                    raw.sqlite3_column_int64(statement, 0),
                    NullableText(statement, 1, repeat: false),
                    Text(statement, 2, repeat: false),
                    NullableText(statement, 3, repeat: true),
                    withExtraOverlap ? raw.sqlite3_column_int(statement, 4) : 0,
                    withMedia ? NullableText(statement, media, repeat: false) : null,
                    withMedia ? NullableText(statement, media + 1, repeat: true) : null,
                    withMedia ? NullableInt(statement, media + 2) : null,
                    withMedia ? NullableInt(statement, media + 3) : null));
            }
        }

        var annotations = new List<ExportAnnotationRow>(items.Count * 2);
        var adjudications = new Dictionary<long, string>();
        if (items.Count == 0)
        {
            return new ExportPage(items, annotations, adjudications);
        }

        if (repeated.Count > MaxRepeatedTexts)
        {
            repeated.Clear();
        }

        var (first, last) = (items[0].Id, items[^1].Id);
        using (var statement = Prepare(db, AnnotationsSql))
        {
            Bind(statement, db, "@first", first);
            Bind(statement, db, "@last", last);
            Check(raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@status"), nameof(AnnotationStatus.Submitted)), db);
            while (Step(statement, db))
            {
                annotations.Add(new ExportAnnotationRow(
                    raw.sqlite3_column_int64(statement, 0),
                    raw.sqlite3_column_int64(statement, 1),
                    Text(statement, 2, repeat: true),
                    raw.sqlite3_column_int(statement, 3),
                    Text(statement, 4, repeat: true),
                    raw.sqlite3_column_int64(statement, 5),
                    timeFromInteger!(raw.sqlite3_column_int64(statement, 6))));
            }
        }

        SortWithinItems(annotations);
        if (withAdjudications)
        {
            using var statement = Prepare(db, AdjudicationsSql);
            Bind(statement, db, "@first", first);
            Bind(statement, db, "@last", last);
            while (Step(statement, db))
            {
                adjudications[raw.sqlite3_column_int64(statement, 0)] = Text(statement, 1, repeat: false);
            }
        }

        return new ExportPage(items, annotations, adjudications);
    }

    private string? NullableText(sqlite3_stmt statement, int column, bool repeat) =>
        raw.sqlite3_column_type(statement, column) == SqliteNull ? null : Text(statement, column, repeat);

    private static int? NullableInt(sqlite3_stmt statement, int column) =>
        raw.sqlite3_column_type(statement, column) == SqliteNull ? null : raw.sqlite3_column_int(statement, column);

    /// <summary>A text column; with <paramref name="repeat"/>, the one string already made for the same bytes.</summary>
    private string Text(sqlite3_stmt statement, int column, bool repeat)
    {
        // The bytes of a TEXT value are its UTF-8 as stored; no conversion happens for a UTF-8 database.
        var bytes = raw.sqlite3_column_blob(statement, column);
        if (!repeat || bytes.Length > 512)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        Span<char> chars = stackalloc char[512];
        var length = Encoding.UTF8.GetChars(bytes, chars);
        var lookup = repeated.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(chars[..length], out var text))
        {
            text = new string(chars[..length]);
            repeated[text] = text;
        }

        return text;
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        return statement;
    }

    private static void Bind(sqlite3_stmt statement, sqlite3 db, string name, long value) =>
        Check(raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, name), value), db);

    private static bool Step(sqlite3_stmt statement, sqlite3 db)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc is SqliteRow or SqliteDone)
        {
            return rc == SqliteRow;
        }

        SqliteException.ThrowExceptionForRC(rc, db);
        return false;
    }

    private static void Check(int rc, sqlite3 db) => SqliteException.ThrowExceptionForRC(rc, db);
}
