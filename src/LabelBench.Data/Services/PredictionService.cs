using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.ActiveLearning;
using LabelBench.Core.Annotations;
using LabelBench.Core.Import;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>A prediction to store for an item of the project.</summary>
public sealed record PredictionToStore(long ItemId, PredictionRecord Prediction);

/// <summary>
/// Model predictions for existing items: imported from JSONL files (matched by item id or external id), or stored by the
/// built-in classifier and model services. Each item's <see cref="Item.Uncertainty"/> follows its newest prediction under
/// the project's uncertainty measure, which is what the uncertainty-first queue orders by.
/// </summary>
/// <remarks>
/// A file is imported whole or not at all, like item imports: its valid lines are written in short batches as pending
/// predictions nobody sees, then made visible (and the uncertainties updated) in one small transaction; annotators keep
/// working meanwhile. Lines that name no item of the project, or whose result does not fit the schema, are reported by
/// line and left out.
/// </remarks>
public sealed class PredictionService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const int BatchSize = 1000;

    public async Task<ImportReport> ImportAsync(Caller caller, long projectId, IReadOnlyList<ImportFile> files, CancellationToken ct = default)
    {
        LabelSchema schema;
        UncertaintyMeasure measure;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);
            var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.CurrentSchemaVersion, p.UncertaintyMeasure }).SingleAsync(ct);
            schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
            measure = UncertaintyMeasures.ParseOrDefault(project.UncertaintyMeasure);
        }

        var imported = 0;
        var rejected = new List<ImportRejection>();
        foreach (var file in files)
        {
            var (count, problems) = await ImportFileAsync(caller, projectId, schema, measure, file, ct);
            imported += count;
            rejected.AddRange(problems);
        }

        return new ImportReport(imported, rejected);
    }

    private async Task<(int Imported, List<ImportRejection> Rejected)> ImportFileAsync(
        Caller caller, long projectId, LabelSchema schema, UncertaintyMeasure measure, ImportFile file, CancellationToken ct)
    {
        var name = Path.GetFileName(file.Name);
        var rejected = new List<ImportRejection>();
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension is ".csv" or ".tsv" or ".zip")
        {
            rejected.Add(new ImportRejection(name, 0, $"predictions are JSONL (one {{\"itemId\" or \"externalId\", \"model\", \"result\", \"score\"?, \"scores\"?}} a line), not \"{extension}\""));
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

        // The newest prediction of each item in this file: the last line that names it.
        var newest = new Dictionary<long, PredictionConfidence>();
        var pending = new List<PredictionLine>(BatchSize);
        var written = 0;
        var fileFailed = false;
        try
        {
            await using var stream = file.Open();
            await foreach (var row in new PredictionLineReader().ReadAsync(stream, name, ct).WithCancellation(ct))
            {
                if (row.Rejection is { } rejection)
                {
                    rejected.Add(rejection);
                    fileFailed |= rejection.IsWholeFile;
                    continue;
                }

                pending.Add(row.Line!);
                if (pending.Count >= BatchSize)
                {
                    written += await WritePendingAsync(projectId, batchId, name, schema, pending, newest, rejected, ct);
                    pending.Clear();
                }
            }

            if (!fileFailed && pending.Count > 0)
            {
                written += await WritePendingAsync(projectId, batchId, name, schema, pending, newest, rejected, ct);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            rejected.Add(new ImportRejection(name, 0, $"the file could not be read: {ex.Message}"));
            fileFailed = true;
        }
        catch (OperationCanceledException)
        {
            await DiscardAsync(batchId, CancellationToken.None);
            throw;
        }

        if (fileFailed)
        {
            await DiscardAsync(batchId, ct);
            rejected.RemoveAll(r => r.Source == name && r.Line > 0);
            return (0, rejected);
        }

        await CommitAsync(caller, projectId, batchId, name, measure, newest, written, rejected.Count, ct);
        // Lines refused while reading and while matching items arrive at different times: report them in file order.
        return (written, rejected.OrderBy(r => r.Line).ToList());
    }

    private async Task<int> WritePendingAsync(
        long projectId, long batchId, string source, LabelSchema schema, List<PredictionLine> lines,
        Dictionary<long, PredictionConfidence> newest, List<ImportRejection> rejected, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var resolved = await ResolveAsync(db, projectId, schema, lines, source, rejected, ct);
        var now = time.GetUtcNow();
        foreach (var (itemId, line) in resolved)
        {
            db.Predictions.Add(ToEntity(projectId, itemId, line.Prediction, now, batchId));
            newest[itemId] = new PredictionConfidence(line.Prediction.Score, line.Prediction.Scores);
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await db.SaveChangesAsync(ct);
        return resolved.Count;
    }

    /// <summary>
    /// Finds each line's item (by id, external id, or both, which must agree) among the project's visible items and
    /// checks the result against the schema; refused lines go to <paramref name="rejected"/>.
    /// </summary>
    internal static async Task<List<(long ItemId, PredictionLine Line)>> ResolveAsync(
        LabelBenchDbContext db, long projectId, LabelSchema schema, IReadOnlyList<PredictionLine> lines, string source, List<ImportRejection> rejected, CancellationToken ct)
    {
        var ids = lines.Where(l => l.ItemId is not null).Select(l => l.ItemId!.Value).Distinct().ToList();
        var externalIds = lines.Where(l => l.ItemId is null).Select(l => l.ExternalId!).Distinct(StringComparer.Ordinal).ToList();
        var items = await db.Items.AsNoTracking()
            .Where(i => i.ProjectId == projectId && !i.Pending && (ids.Contains(i.Id) || externalIds.Contains(i.ExternalId!)))
            .Select(i => new { i.Id, i.ExternalId, i.DataJson, i.Width, i.Height, i.DurationSeconds }).ToListAsync(ct);
        var byId = items.ToDictionary(i => i.Id);
        var byExternal = items.Where(i => i.ExternalId is not null).GroupBy(i => i.ExternalId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var accepted = new List<(long, PredictionLine)>(lines.Count);
        foreach (var line in lines)
        {
            var item = line.ItemId is { } id ? byId.GetValueOrDefault(id) : byExternal.GetValueOrDefault(line.ExternalId!);
            if (item is null)
            {
                rejected.Add(new ImportRejection(source, line.Line, line.ItemId is { } missing
                    ? $"itemId {missing}: project {projectId} has no such item"
                    : $"externalId \"{line.ExternalId}\": project {projectId} has no item with this id"));
                continue;
            }

            if (line.ItemId is not null && line.ExternalId is not null && item.ExternalId != line.ExternalId)
            {
                rejected.Add(new ImportRejection(source, line.Line, $"itemId {item.Id} has the external id \"{item.ExternalId}\", not \"{line.ExternalId}\""));
                continue;
            }

            var context = new ItemContext(QueueService.ParseObject(item.DataJson), item.Width, item.Height, item.DurationSeconds);
            var problems = AnnotationResultValidator.Validate(schema, line.Prediction.Result, context, requireComplete: false)
                .Where(p => !p.IsWarning).ToList();
            if (problems.Count > 0)
            {
                rejected.Add(new ImportRejection(source, line.Line, string.Join("; ", problems.Select(p => $"result.{p.Path}: {p.Message}"))));
                continue;
            }

            accepted.Add((item.Id, line));
        }

        return accepted;
    }

    private async Task CommitAsync(
        Caller caller, long projectId, long batchId, string source, UncertaintyMeasure measure,
        Dictionary<long, PredictionConfidence> newest, int imported, int rejectedCount, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        // Committed now, so they are the newest predictions of their items.
        await db.Predictions.IgnoreQueryFilters().Where(p => p.ImportId == batchId && p.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Pending, false).SetProperty(p => p.CreatedAt, now), ct);
        await SetUncertaintyAsync(db, projectId, newest.Select(kv => (kv.Key, Uncertainty.Of(measure, kv.Value))), ct);
        await db.ImportBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Completed, true).SetProperty(b => b.CompletedAt, now)
            .SetProperty(b => b.Imported, imported).SetProperty(b => b.Rejected, rejectedCount), ct);
        await audit.AppendAsync(db, "predictions.imported", caller, projectId, "import", batchId.ToString(CultureInfo.InvariantCulture),
            after: new { source, imported, rejected = rejectedCount }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task DiscardAsync(long batchId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Predictions.IgnoreQueryFilters().Where(p => p.ImportId == batchId && p.Pending).ExecuteDeleteAsync(ct);
        await db.ImportBatches.Where(b => b.Id == batchId).ExecuteDeleteAsync(ct);
    }

    /// <summary>Removes predictions that files never committed (a crash, a killed server) left pending.</summary>
    public async Task<int> CleanUpAbandonedAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cutoff = time.GetUtcNow() - olderThan;
        return await db.Predictions.IgnoreQueryFilters().Where(p => p.Pending && p.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Stores predictions at once (visible immediately) and sets their items' uncertainty from them, in one short
    /// transaction; callers pass batches of at most <see cref="BatchSize"/>. The caller checked access.
    /// </summary>
    internal async Task<int> StoreAsync(long projectId, UncertaintyMeasure measure, IReadOnlyList<PredictionToStore> predictions, CancellationToken ct)
    {
        if (predictions.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var newest = new Dictionary<long, PredictionConfidence>();
        foreach (var p in predictions)
        {
            db.Predictions.Add(ToEntity(projectId, p.ItemId, p.Prediction, now, importId: null));
            newest[p.ItemId] = new PredictionConfidence(p.Prediction.Score, p.Prediction.Scores);
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        await SetUncertaintyAsync(db, projectId, newest.Select(kv => (kv.Key, Uncertainty.Of(measure, kv.Value))), ct);
        await tx.CommitAsync(ct);
        return predictions.Count;
    }

    /// <summary>Sets every item's uncertainty from its newest prediction under <paramref name="measure"/> (after the project's measure changed).</summary>
    internal async Task<int> RecomputeUncertaintyAsync(long projectId, UncertaintyMeasure measure, CancellationToken ct)
    {
        long after = 0;
        var updated = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ids = await db.Items.AsNoTracking()
                .Where(i => i.ProjectId == projectId && i.Id > after && db.Predictions.Any(p => p.ItemId == i.Id))
                .OrderBy(i => i.Id).Select(i => i.Id).Take(BatchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return updated;
            }

            var newest = await NewestAsync(db, ids, ct);
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await SetUncertaintyAsync(db, projectId, newest.Select(kv => (kv.Key, Uncertainty.Of(measure, kv.Value.Confidence))), ct);
                await tx.CommitAsync(ct);
            }

            updated += ids.Count;
            after = ids[^1];
        }
    }

    /// <summary>The newest prediction of each of the items that has one (latest CreatedAt, then highest id, as the queue shows it).</summary>
    internal static async Task<Dictionary<long, NewestPrediction>> NewestAsync(LabelBenchDbContext db, IReadOnlyCollection<long> itemIds, CancellationToken ct)
    {
        var ids = itemIds.ToList();
        var rows = await db.Predictions.AsNoTracking().Where(p => ids.Contains(p.ItemId))
            .Select(p => new { p.ItemId, p.Id, p.CreatedAt, p.Model, p.ResultJson, p.Score, p.ScoresJson }).ToListAsync(ct);
        return rows.GroupBy(r => r.ItemId).ToDictionary(
            g => g.Key,
            g =>
            {
                var n = g.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).First();
                return new NewestPrediction(n.Id, n.Model, n.ResultJson, new PredictionConfidence(n.Score, ParseScores(n.ScoresJson)), n.CreatedAt);
            });
    }

    private static async Task SetUncertaintyAsync(LabelBenchDbContext db, long projectId, IEnumerable<(long ItemId, double? Value)> values, CancellationToken ct)
    {
        foreach (var chunk in values.Chunk(BatchSize))
        {
            foreach (var (itemId, value) in chunk)
            {
                // A stub updates the one column; the counters other writers change on the same row are left alone.
                var stub = new Item { Id = itemId, ProjectId = projectId, DataJson = string.Empty };
                db.Items.Attach(stub);
                stub.Uncertainty = value;
                db.Entry(stub).Property(i => i.Uncertainty).IsModified = true;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    internal static Prediction ToEntity(long projectId, long itemId, PredictionRecord p, DateTimeOffset now, long? importId) => new()
    {
        ProjectId = projectId,
        ItemId = itemId,
        Model = p.Model,
        ResultJson = p.Result.ToJsonString(),
        Score = p.Score,
        ScoresJson = ScoresJson(p.Scores),
        CreatedAt = now,
        ImportId = importId,
        Pending = importId is not null,
    };

    internal static string? ScoresJson(IReadOnlyDictionary<string, double>? scores) =>
        scores is null ? null : new JsonObject(scores.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))).ToJsonString();

    internal static IReadOnlyDictionary<string, double>? ParseScores(string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject obj)
        {
            return null;
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (label, value) in obj)
        {
            if (value is JsonValue v && v.TryGetValue<double>(out var d))
            {
                scores[label] = d;
            }
        }

        return scores;
    }
}

/// <summary>An item's newest prediction.</summary>
public sealed record NewestPrediction(long Id, string Model, string ResultJson, PredictionConfidence Confidence, DateTimeOffset CreatedAt)
{
    /// <summary>How sure the model was: the overall score, else the highest per-label probability.</summary>
    public double? TopScore => Confidence.Score ?? (Confidence.Scores is { Count: > 0 } s ? s.Values.Max() : null);
}
