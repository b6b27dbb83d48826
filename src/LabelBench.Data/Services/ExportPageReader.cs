using System.Data.Common;
using LabelBench.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LabelBench.Data.Services;

/// <summary>The columns of an item an export reads.</summary>
internal sealed record ExportItemRow(long Id, string? ExternalId, string DataJson, string? Split, int ExtraOverlap, string? MediaHash, string? MediaType, int? Width, int? Height);

/// <summary>The columns of a submitted annotation an export reads.</summary>
internal readonly record struct ExportAnnotationRow(long Id, long ItemId, string UserId, int SchemaVersion, string ResultJson, long TimeSpentMs, DateTimeOffset SubmittedAt);

/// <summary>One page of an export: items in id order, their submitted annotations in (item, id) order, their adjudications.</summary>
internal sealed record ExportPage(List<ExportItemRow> Items, List<ExportAnnotationRow> Annotations, Dictionary<long, string> Adjudications);

/// <summary>
/// Reads an export's pages with plain commands on the context's connection. The export reads every row of a project,
/// so the per-row cost is the export's cost: EF Core's query pipeline (a shaper, a concurrency guard, a null check and
/// a provider call per column) cost about as much as writing the JSON, and its query compilation a good part of a
/// short command's start. The SQL is the same on SQLite and PostgreSQL (quoted names, parameters).
/// </summary>
internal sealed partial class ExportPageReader
{
    private readonly Func<DbDataReader, int, DateTimeOffset> readTime;
    private readonly Func<long, DateTimeOffset>? timeFromInteger;
    private readonly string itemsSql;
    private readonly long projectId;
    private readonly string? split;
    private readonly bool withMedia;
    private readonly bool withExtraOverlap;
    private readonly bool withAdjudications;

    private const string AnnotationsSql =
        "SELECT \"Id\", \"ItemId\", \"UserId\", \"SchemaVersion\", \"ResultJson\", \"TimeSpentMs\", COALESCE(\"SubmittedAt\", \"UpdatedAt\") " +
        "FROM \"Annotations\" WHERE \"ItemId\" >= @first AND \"ItemId\" <= @last AND \"Status\" = @status ORDER BY \"ItemId\"";

    private const string AdjudicationsSql = "SELECT \"ItemId\", \"ResultJson\" FROM \"Adjudications\" WHERE \"ItemId\" >= @first AND \"ItemId\" <= @last";

    public ExportPageReader(LabelBenchDbContext db, long projectId, string? split, bool withMedia, bool withExtraOverlap, bool withAdjudications)
    {
        this.projectId = projectId;
        this.split = split;
        this.withMedia = withMedia;
        this.withExtraOverlap = withExtraOverlap;
        this.withAdjudications = withAdjudications;
        // Times go through the model's converter where it has one (SQLite: a sortable integer); PostgreSQL reads timestamptz.
        var converter = db.Model.FindEntityType(typeof(Annotation))!.FindProperty(nameof(Annotation.UpdatedAt))!.GetTypeMapping().Converter;
        if (converter is ValueConverter<DateTimeOffset, long> binary)
        {
            var fromProvider = binary.ConvertFromProviderExpression.Compile();
            timeFromInteger = fromProvider;
            readTime = (reader, i) => fromProvider(reader.GetInt64(i));
        }
        else
        {
            readTime = (reader, i) => reader.GetFieldValue<DateTimeOffset>(i);
        }

        // Every column read costs a few calls into the database driver per row, a second or more over a million rows:
        // the media columns are read only for the image formats, the extra places only with dynamic overlap.
        // "Pending" is compared to a parameter: SQLite matches "Pending" = @p, not NOT "Pending", to the (ProjectId,
        // Pending, Id) index; without it every page would sort all of the project's items.
        itemsSql = "SELECT \"Id\", \"ExternalId\", \"DataJson\", \"Split\""
            + (withExtraOverlap ? ", \"ExtraOverlap\"" : "")
            + (withMedia ? ", \"MediaHash\", \"MediaType\", \"Width\", \"Height\"" : "")
            + " FROM \"Items\" WHERE \"ProjectId\" = @project AND \"Pending\" = @pending AND \"Id\" > @after"
            + (split is null ? "" : " AND \"Split\" = @split")
            + " ORDER BY \"Id\" LIMIT @limit";
    }

    /// <summary>The page of at most <paramref name="size"/> items after the item id <paramref name="after"/>.</summary>
    public async Task<ExportPage> ReadAsync(IDbContextFactory<LabelBenchDbContext> dbFactory, long after, int size, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        if (connection is SqliteConnection sqlite)
        {
            return ReadSqlite(sqlite, after, size);
        }

        // No transaction: on SQLite the driver's default one is BEGIN IMMEDIATE, which would hold off every annotator's
        // write while a page is read. An annotation submitted between the statements is simply in or out.
        var items = new List<ExportItemRow>(size);
        await using (var command = Command(connection, itemsSql, ("project", projectId), ("pending", false), ("after", after), ("limit", size), ("split", split)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            var media = withExtraOverlap ? 5 : 4;
            while (await reader.ReadAsync(ct))
            {
                items.Add(new ExportItemRow(
                    reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    withExtraOverlap ? reader.GetInt32(4) : 0,
                    withMedia && !reader.IsDBNull(media) ? reader.GetString(media) : null,
                    withMedia && !reader.IsDBNull(media + 1) ? reader.GetString(media + 1) : null,
                    withMedia && !reader.IsDBNull(media + 2) ? reader.GetInt32(media + 2) : null,
                    withMedia && !reader.IsDBNull(media + 3) ? reader.GetInt32(media + 3) : null));
            }
        }

        var annotations = new List<ExportAnnotationRow>(items.Count * 2);
        var adjudications = new Dictionary<long, string>();
        if (items.Count == 0)
        {
            return new ExportPage(items, annotations, adjudications);
        }

        // Only the item id range and the status are in the SQL: item ids are unique across projects, and with
        // ProjectId in the WHERE SQLite's planner (without statistics) prefers a (ProjectId, Status, ...) index and
        // reads every annotation of the project for every page.
        var (first, last) = (items[0].Id, items[^1].Id);
        await using (var command = Command(connection, AnnotationsSql, ("first", first), ("last", last), ("status", nameof(AnnotationStatus.Submitted))))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                annotations.Add(new ExportAnnotationRow(
                    reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetInt64(5), readTime(reader, 6)));
            }
        }

        SortWithinItems(annotations);

        if (withAdjudications)
        {
            await using var command = Command(connection, AdjudicationsSql, ("first", first), ("last", last));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                adjudications[reader.GetInt64(0)] = reader.GetString(1);
            }
        }

        return new ExportPage(items, annotations, adjudications);
    }

    /// <summary>
    /// Puts each item's annotations in id order. The SQL orders by item only: SQLite then walks its (ItemId, UserId)
    /// index as is, where ordering by (ItemId, Id) too made it sort every item's rows in a temporary b-tree. An
    /// item's run is a handful of rows, mostly in order already.
    /// </summary>
    internal static void SortWithinItems(List<ExportAnnotationRow> rows)
    {
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            var j = i - 1;
            while (j >= 0 && rows[j].ItemId == row.ItemId && rows[j].Id > row.Id)
            {
                rows[j + 1] = rows[j];
                j--;
            }

            rows[j + 1] = row;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
        }

        return command;
    }
}
