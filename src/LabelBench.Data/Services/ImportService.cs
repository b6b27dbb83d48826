using System.Globalization;
using System.Threading.Channels;
using LabelBench.Core.ActiveLearning;
using LabelBench.Core.Import;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using LabelBench.Data.Media;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>One uploaded file: its name, size and a way to read it (read once).</summary>
public sealed record ImportFile(string Name, long Length, Func<Stream> Open);

/// <summary>The import report of CONTRACT.md: how many items arrived, and every row or file refused with the reason.</summary>
public sealed record ImportReport(int Imported, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Brings items into a project. Each file's valid rows are written in short batches as pending items that no
/// annotator sees, then made visible in one small transaction: annotators keep working during a long import, and a
/// crash leaves no half file (pending rows of an unfinished import are removed at the next start). Media files and
/// zip archives take the same path (see ImportService.Media.cs).
/// </summary>
public sealed partial class ImportService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time, MediaImporter? mediaImporter = null)
{
    public const int BatchSize = 1000;

    public async Task<ImportReport> ImportAsync(Caller caller, long projectId, IReadOnlyList<ImportFile> files, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        LabelSchema schema;
        UncertaintyMeasure measure;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);
            var project = await db.Projects.Where(p => p.Id == projectId).Select(p => new { p.CurrentSchemaVersion, p.UncertaintyMeasure }).SingleAsync(ct);
            schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
            measure = UncertaintyMeasures.ParseOrDefault(project.UncertaintyMeasure);
        }

        var imported = 0;
        var rejected = new List<ImportRejection>();
        foreach (var file in files)
        {
            var (count, problems) = await ImportFileAsync(caller, projectId, schema, measure, file, progress, ct);
            imported += count;
            rejected.AddRange(problems);
        }

        return new ImportReport(imported, rejected);
    }

    private async Task<(int Imported, List<ImportRejection> Rejected)> ImportFileAsync(
        Caller caller, long projectId, LabelSchema schema, UncertaintyMeasure measure, ImportFile file, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var rejected = new List<ImportRejection>();
        var name = Path.GetFileName(file.Name);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (mediaImporter is not null && IsMediaOrArchive(name))
        {
            return await ImportMediaFileAsync(caller, projectId, schema, measure, file, name, mediaImporter, progress, ct);
        }

        Func<Stream, string, CancellationToken, IAsyncEnumerable<ImportRow>> reader = extension switch
        {
            ".csv" or ".tsv" => new CsvItemReader().ReadAsync,
            ".jsonl" or ".ndjson" => new JsonlItemReader().ReadAsync,
            _ => null!,
        };
        if (reader is null)
        {
            rejected.Add(new ImportRejection(name, 0, $"unsupported file type \"{extension}\": expected .csv or .jsonl"));
            return (0, rejected);
        }

        long batchId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var batch = new ImportBatch { ProjectId = projectId, UserId = caller == Caller.System ? null : caller.UserId, Source = name, CreatedAt = time.GetUtcNow() };
            db.ImportBatches.Add(batch);
            await db.SaveChangesAsync(ct);
            batchId = batch.Id;
        }

        var tally = new ImportTally();
        var written = 0;
        var read = new ReadState();
        // Reading and parsing run on one thread while the batches are written on another (two cores: about the time of
        // the slower side instead of the sum). At most two parsed batches wait between them, so memory stays flat.
        var batches = Channel.CreateBounded<List<ImportRecord>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() => ReadBatchesAsync(reader, file, name, schema, batches.Writer, read, stop.Token), CancellationToken.None);
        try
        {
            try
            {
                await foreach (var batch in batches.Reader.ReadAllAsync(ct))
                {
                    written += await WriteBatchAsync(caller, projectId, schema, batchId, name, measure, batch, rejected, tally, null, ct);
                    progress?.Report(new ImportProgress(name, written, rejected.Count + Volatile.Read(ref read.Rejected)));
                }
            }
            catch
            {
                await stop.CancelAsync();
                await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }

            // A read failure (the stream broke, a zip entry lied about its size) surfaces here.
            await producer;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            read.Rejections.Add(new ImportRejection(name, 0, $"the file could not be read: {ex.Message}"));
            read.FileFailed = true;
        }
        catch (OperationCanceledException)
        {
            await DiscardAsync(batchId, CancellationToken.None);
            throw;
        }

        // The report lists a file's problems in line order, whichever side found them.
        rejected = [.. rejected.Concat(read.Rejections).OrderBy(r => r.Line)];
        var fileFailed = read.FileFailed;
        if (fileFailed)
        {
            await DiscardAsync(batchId, ct);
            rejected.RemoveAll(r => r.Source == name && r.Line > 0);
            return (0, rejected);
        }

        await CommitAsync(caller, projectId, batchId, name, written, rejected.Count(r => r.Source == name), tally, ct);
        progress?.Report(new ImportProgress(name, written, rejected.Count));
        return (written, rejected);
    }

    /// <summary>What the reading side found: its rejections (read after it finished) and whether the whole file failed.</summary>
    private sealed class ReadState
    {
        public readonly List<ImportRejection> Rejections = [];
        public int Rejected;
        public bool FileFailed;
    }

    /// <summary>Reads a file's rows into batches of <see cref="BatchSize"/> for the writing side; stops at a whole-file rejection.</summary>
    private static async Task ReadBatchesAsync(
        Func<Stream, string, CancellationToken, IAsyncEnumerable<ImportRow>> reader, ImportFile file, string name, LabelSchema schema,
        ChannelWriter<List<ImportRecord>> batches, ReadState state, CancellationToken ct)
    {
        try
        {
            var pending = new List<ImportRecord>(BatchSize);
            await using var stream = file.Open();
            await foreach (var row in reader(stream, name, ct).WithCancellation(ct))
            {
                if (row.Rejection is { } rejection)
                {
                    state.Rejections.Add(rejection);
                    Interlocked.Increment(ref state.Rejected);
                    if (rejection.Line == 0)
                    {
                        state.FileFailed = true;
                        return;
                    }

                    continue;
                }

                var record = row.Record!;
                if (MissingSourceKey(schema, record) is { } missing)
                {
                    state.Rejections.Add(new ImportRejection(name, record.Line, missing));
                    Interlocked.Increment(ref state.Rejected);
                    continue;
                }

                pending.Add(record);
                if (pending.Count >= BatchSize)
                {
                    await batches.WriteAsync(pending, ct);
                    pending = new List<ImportRecord>(BatchSize);
                }
            }

            if (pending.Count > 0)
            {
                await batches.WriteAsync(pending, ct);
            }
        }
        finally
        {
            batches.TryComplete();
        }
    }

    private static string? MissingSourceKey(LabelSchema schema, ImportRecord record)
    {
        foreach (var key in schema.DataKeys())
        {
            var value = record.Data[key];
            if (value is null || (value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) && string.IsNullOrWhiteSpace(text)))
            {
                var field = schema.Fields.First(f => f.Source == key || f.Responses.Contains(key));
                return value is null
                    ? $"the item has no \"{key}\", which the field \"{field.Name}\" reads"
                    : $"the item's \"{key}\" is empty, and the field \"{field.Name}\" reads it";
            }
        }

        return null;
    }

    private async Task<int> WriteBatchAsync(
        Caller caller, long projectId, LabelSchema schema, long batchId, string source, UncertaintyMeasure measure, List<ImportRecord> records,
        List<ImportRejection> rejected, ImportTally tally, IReadOnlyDictionary<ImportRecord, StoredMedia>? media, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Repeated ids are found in the database, not in a set of every id read so far (a million ids would be the
        // import's largest use of memory): the rows this file has written are pending items of its batch, with their
        // line; repeats inside this batch are found as it is built.
        var ids = records.Where(r => r.ExternalId is not null).Select(r => r.ExternalId!).Distinct(StringComparer.Ordinal).ToList();
        var existing = ids.Count == 0
            ? []
            : await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && ids.Contains(i.ExternalId!))
                .Select(i => new { ExternalId = i.ExternalId!, i.ImportId, i.ImportLine, i.Pending })
                .ToDictionaryAsync(i => i.ExternalId, StringComparer.Ordinal, ct);
        var firstInBatch = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var items = new List<(Item Item, ImportRecord Record)>(records.Count);
        foreach (var record in records)
        {
            if (record.ExternalId is { } ext)
            {
                var repeat = existing.TryGetValue(ext, out var other)
                    ? other.ImportId == batchId ? $"duplicate id \"{ext}\" (first on line {other.ImportLine})"
                    : other.Pending ? $"another import into this project, still running, has an item with id \"{ext}\""
                    : $"the project already has an item with id \"{ext}\""
                    : firstInBatch.TryGetValue(ext, out var first) ? $"duplicate id \"{ext}\" (first on line {first})" : null;
                if (repeat is not null)
                {
                    rejected.Add(new ImportRejection(source, record.Line, repeat));
                    continue;
                }
            }

            if (ImportedAnnotations.Problem(schema, record) is { } problem)
            {
                rejected.Add(new ImportRejection(source, record.Line, problem));
                continue;
            }

            if (record.ExternalId is { } accepted)
            {
                firstInBatch[accepted] = record.Line;
            }

            var item = new Item
            {
                ProjectId = projectId,
                ExternalId = record.ExternalId,
                DataJson = record.Data.ToJsonString(),
                Split = record.Split,
                // Only an order key: a fast generator is enough (the cryptographic one cost 7 % of a large import).
                RandomKey = Random.Shared.NextInt64(),
                Uncertainty = NewestUncertainty(measure, record.Predictions),
                Open = false,
                Pending = true,
                ImportId = batchId,
                ImportLine = record.Line,
                CreatedAt = now,
                AssignedCount = record.Annotations.Count,
                SubmittedCount = record.Annotations.Count,
            };
            if (media is not null && media.TryGetValue(record, out var m))
            {
                item.MediaHash = m.Hash;
                item.MediaType = m.ContentType;
                item.Width = m.Width;
                item.Height = m.Height;
                item.DurationSeconds = m.DurationSeconds;
            }

            items.Add((item, record));
        }

        // One short write transaction per batch: the items, then their predictions and imported annotations.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await db.Database.OpenConnectionAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await PendingItemWriter.InsertAsync(db, items.Select(i => i.Item).ToList(), ct);
        foreach (var (item, record) in items)
        {
            foreach (var p in record.Predictions)
            {
                db.Predictions.Add(new Prediction
                {
                    ProjectId = projectId,
                    ItemId = item.Id,
                    Model = p.Model,
                    ResultJson = p.Result.ToJsonString(),
                    Score = p.Score,
                    ScoresJson = PredictionService.ScoresJson(p.Scores),
                    CreatedAt = now,
                });
            }
        }

        await ImportedAnnotations.AddAsync(db, caller, projectId, items, tally, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return items.Count;
    }

    /// <summary>
    /// Uncertainty of the newest prediction (the last listed: stored last, it is the one annotators see) under the
    /// project's measure; higher is served first.
    /// </summary>
    private static double? NewestUncertainty(UncertaintyMeasure measure, IReadOnlyList<PredictionRecord> predictions) =>
        predictions.Count == 0 ? null : Uncertainty.Of(measure, predictions[^1].Score, predictions[^1].Scores);

    /// <summary>
    /// Commits a file in two steps. First one small transaction records the decision: the batch is completed, with the
    /// project's counters and the audit event. Then <see cref="PublishAsync"/> makes its items visible in short
    /// transactions of <see cref="PublishChunk"/> ids, so annotators never wait behind one update of a million rows.
    /// A crash between the two is rolled forward by <see cref="CleanUpAbandonedAsync"/>: a completed batch is always
    /// published whole, an uncompleted one removed whole.
    /// </summary>
    private async Task CommitAsync(Caller caller, long projectId, long batchId, string source, int imported, int rejectedCount, ImportTally tally, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var overlap = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Overlap).SingleAsync(ct);
            // Items imported with annotations (a JSONL export) count as submitted and, at the overlap, complete.
            var complete = tally.Annotations == 0 ? 0 : await db.Items.CountAsync(i => i.ImportId == batchId && i.SubmittedCount >= overlap && i.SubmittedCount > 0, ct);
            await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.ItemCount, p => p.ItemCount + imported)
                .SetProperty(p => p.SubmittedCount, p => p.SubmittedCount + tally.Annotations)
                .SetProperty(p => p.CompleteCount, p => p.CompleteCount + complete), ct);
            var now = time.GetUtcNow();
            await db.ImportBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Completed, true).SetProperty(b => b.CompletedAt, now)
                .SetProperty(b => b.Imported, imported).SetProperty(b => b.Rejected, rejectedCount), ct);
            await audit.AppendAsync(db, "import.completed", caller, projectId, "import", batchId.ToString(CultureInfo.InvariantCulture),
                after: new { source, imported, rejected = rejectedCount, annotations = tally.Annotations, adjudications = tally.Adjudications }, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        // Published even if the caller gives up now: the decision is made, and a half-visible file must not linger.
        await PublishAsync(projectId, batchId, CancellationToken.None);
    }

    /// <summary>Ids per publishing transaction: a few hundred milliseconds of writing at most.</summary>
    public const int PublishChunk = 10_000;

    /// <summary>Makes a completed batch's pending items visible, walking its id range (the ImportId index ends with the id).</summary>
    private async Task PublishAsync(long projectId, long batchId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var range = await db.Items.Where(i => i.ImportId == batchId).GroupBy(i => i.ImportId)
            .Select(g => new { Min = g.Min(i => i.Id), Max = g.Max(i => i.Id) }).SingleOrDefaultAsync(ct);
        if (range is null)
        {
            return;
        }

        for (var from = range.Min; from <= range.Max; from += PublishChunk)
        {
            var to = from + PublishChunk;
            // The overlap is read per chunk: a settings change meanwhile recounts only visible items.
            var overlap = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Overlap).SingleAsync(ct);
            await db.Items.Where(i => i.ImportId == batchId && i.Pending && i.Id >= from && i.Id < to)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Pending, false).SetProperty(i => i.Open, i => i.AssignedCount < overlap), ct);
        }
    }

    private async Task DiscardAsync(long batchId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Items.Where(i => i.ImportId == batchId && i.Pending).ExecuteDeleteAsync(ct);
        await db.ImportBatches.Where(b => b.Id == batchId).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Removes what imports that never finished (a crash, a killed server) left pending, and finishes publishing the
    /// files that had committed when the crash came. Returns the number of imports removed.
    /// </summary>
    public async Task<int> CleanUpAbandonedAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        List<long> abandoned;
        List<(long Id, long ProjectId)> unpublished;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var cutoff = time.GetUtcNow() - olderThan;
            abandoned = await db.ImportBatches.Where(b => !b.Completed && b.CreatedAt < cutoff).Select(b => b.Id).ToListAsync(ct);
            unpublished = (await db.ImportBatches.Where(b => b.Completed && db.Items.Any(i => i.ImportId == b.Id && i.Pending))
                .Select(b => new { b.Id, b.ProjectId }).ToListAsync(ct)).Select(b => (b.Id, b.ProjectId)).ToList();
        }

        foreach (var id in abandoned)
        {
            await DiscardAsync(id, ct);
        }

        foreach (var (id, projectId) in unpublished)
        {
            await PublishAsync(projectId, id, ct);
        }

        return abandoned.Count;
    }
}

/// <summary>How far an import has come, for progress bars.</summary>
public sealed record ImportProgress(string Source, int Imported, int Rejected);
