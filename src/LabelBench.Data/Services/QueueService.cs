using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Privacy;
using LabelBench.Core.Queue;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>A model's suggestion for an item.</summary>
public sealed record PredictionView(long Id, string Model, JsonObject Result, double? Score);

/// <summary>The item handed to an annotator, with the lease that reserves it.</summary>
public sealed record NextItem(
    long ItemId,
    string? ExternalId,
    JsonObject Data,
    IReadOnlyList<PredictionView> Predictions,
    DateTimeOffset LeaseExpiresAt,
    JsonObject? Draft,
    long DraftTimeSpentMs,
    int SchemaVersion,
    string? MediaType,
    int? Width,
    int? Height,
    double? DurationSeconds);

/// <summary>The outcome of a submit: the stored annotation and whether this call created it (false for a retry).</summary>
public sealed record SubmitOutcome(long AnnotationId, bool Created);

/// <summary>An annotator's progress in a project.</summary>
public sealed record QueueProgress(long MySubmitted, long MySkipped, long ProjectItems, long ProjectComplete);

/// <summary>One of the caller's last submissions, as the workspace's history lists it.</summary>
public sealed record HistoryEntry(long AnnotationId, long ItemId, string? ExternalId, DateTimeOffset SubmittedAt, bool Adjudicated, string Preview);

/// <summary>An item the caller submitted, with their result, to look at again and correct while it is not adjudicated.</summary>
public sealed record SubmittedAnnotation(
    long AnnotationId,
    long ItemId,
    string? ExternalId,
    JsonObject Data,
    JsonObject Result,
    long TimeSpentMs,
    DateTimeOffset SubmittedAt,
    bool Adjudicated,
    int SchemaVersion,
    string? MediaType,
    int? Width,
    int? Height,
    double? DurationSeconds);

/// <summary>
/// Work distribution: each item goes to <c>overlap</c> distinct annotators (more with dynamic overlap while they
/// disagree), never twice to one person. The database settles races: a conditional update claims one of an item's
/// places, unique indexes refuse a second assignment or annotation for the same person, so it holds across app
/// instances. The rules themselves (lease length, overlap target, order) are Core's <see cref="LeasePolicy"/>,
/// <see cref="OverlapPolicy"/> and <see cref="QueueOrder"/>.
/// </summary>
public sealed class QueueService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    private const int CandidateBatch = 8;
    public const int HistoryLimit = 50;
    private const int PreviewLength = 90;

    public async Task<NextItem?> NextAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        if (project.ArchivedAt is not null)
        {
            // An archived project hands out no more work.
            return null;
        }

        var lease = LeasePolicy.FromMinutes(project.LeaseMinutes);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var itemId = await HeldItemAsync(db, caller, projectId, lease, ct)
                ?? await ClaimOpenItemAsync(db, caller, project, ct)
                ?? await ReclaimExpiredLeaseAsync(db, caller, project, ct);
            if (itemId is null)
            {
                // The claim lost a race for every candidate; look again.
                if (await AnyClaimableAsync(db, caller, projectId, ct))
                {
                    continue;
                }

                return null;
            }

            return await LoadAsync(db, caller, project, itemId.Value, ProjectAccess.SeesPrivateData(roles), ct);
        }

        return null;
    }

    /// <summary>The item the caller already holds (a second tab gets the same one); the lease is renewed.</summary>
    private async Task<long?> HeldItemAsync(LabelBenchDbContext db, Caller caller, long projectId, LeasePolicy lease, CancellationToken ct)
    {
        var held = await db.Assignments.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.UserId == caller.UserId && a.State == AssignmentState.Leased)
            .OrderBy(a => a.LeasedAt).Select(a => new { a.Id, a.ItemId }).FirstOrDefaultAsync(ct);
        if (held is null)
        {
            return null;
        }

        var expires = lease.ExpiresAt(time.GetUtcNow());
        await db.Assignments.Where(a => a.Id == held.Id && a.UserId == caller.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ExpiresAt, expires), ct);
        return held.ItemId;
    }

    /// <summary>Open items the caller has neither annotated nor been assigned.</summary>
    private static IQueryable<Item> OpenForCaller(LabelBenchDbContext db, Caller caller, long projectId) =>
        db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && i.Open
            && !db.Annotations.Any(a => a.ItemId == i.Id && a.UserId == caller.UserId)
            && !db.Assignments.Any(a => a.ItemId == i.Id && a.UserId == caller.UserId));

    /// <summary>The next candidates in the project's order; every query walks one index from its start (see ItemConfiguration).</summary>
    private static async Task<List<long>> CandidatesAsync(LabelBenchDbContext db, Caller caller, Project project, CancellationToken ct)
    {
        var open = OpenForCaller(db, caller, project.Id);
        switch (QueueOrders.Parse(project.QueueOrder))
        {
            case QueueOrder.Random:
                return await open.OrderBy(i => i.RandomKey).ThenBy(i => i.Id).Select(i => i.Id).Take(CandidateBatch).ToListAsync(ct);
            case QueueOrder.Uncertainty:
                // Two range reads rather than one ORDER BY over "has a prediction": the latter sorts every open item.
                var uncertain = await open.Where(i => i.Uncertainty != null).OrderByDescending(i => i.Uncertainty).ThenBy(i => i.Id)
                    .Select(i => i.Id).Take(CandidateBatch).ToListAsync(ct);
                if (uncertain.Count == CandidateBatch)
                {
                    return uncertain;
                }

                var rest = await open.Where(i => i.Uncertainty == null).OrderBy(i => i.Id).Select(i => i.Id).Take(CandidateBatch - uncertain.Count).ToListAsync(ct);
                return [.. uncertain, .. rest];
            default:
                return await open.OrderBy(i => i.Id).Select(i => i.Id).Take(CandidateBatch).ToListAsync(ct);
        }
    }

    private async Task<long?> ClaimOpenItemAsync(LabelBenchDbContext db, Caller caller, Project project, CancellationToken ct)
    {
        foreach (var itemId in await CandidatesAsync(db, caller, project, ct))
        {
            switch (await TryClaimAsync(db, caller, project, itemId, ct))
            {
                case true:
                    return itemId;
                case null:
                    // Another tab of the same person claimed an item meanwhile: this tab gets that one too.
                    return await HeldItemAsync(db, caller, project.Id, LeasePolicy.FromMinutes(project.LeaseMinutes), ct);
            }
        }

        return null;
    }

    /// <summary>
    /// Claims one of the item's places for the caller: the conditional update never passes the item's target
    /// (the project's overlap plus the places dynamic overlap opened), and keeps <c>Open</c> in step with it.
    /// Returns null, claiming nothing, when the caller already holds a lease: one person's tabs share one item. That
    /// check is serialised per person: SQLite's write transactions are exclusive, and on PostgreSQL a transaction-scoped
    /// advisory lock on (project, person) makes two tabs' claims take turns.
    /// </summary>
    private async Task<bool?> TryClaimAsync(LabelBenchDbContext db, Caller caller, Project project, long itemId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var overlap = project.Overlap;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            var key = $"lease:{project.Id}:{caller.UserId}";
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", ct);
        }

        if (await db.Assignments.AnyAsync(a => a.ProjectId == project.Id && a.UserId == caller.UserId && a.State == AssignmentState.Leased, ct))
        {
            await tx.RollbackAsync(ct);
            return null;
        }

        var claimed = await ClaimPlaceAsync(db, itemId, overlap, ct);
        if (claimed == 0)
        {
            return false;
        }

        db.Assignments.Add(new Assignment
        {
            ProjectId = project.Id,
            ItemId = itemId,
            UserId = caller.UserId,
            State = AssignmentState.Leased,
            LeasedAt = now,
            ExpiresAt = LeasePolicy.FromMinutes(project.LeaseMinutes).ExpiresAt(now),
        });
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // The same person claimed it in another tab a moment ago: give the place back.
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static Task<int> ClaimPlaceAsync(LabelBenchDbContext db, long itemId, int overlap, CancellationToken ct) =>
        db.Items.Where(i => i.Id == itemId && !i.Pending && i.AssignedCount < overlap + i.ExtraOverlap)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AssignedCount, i => i.AssignedCount + 1)
                .SetProperty(i => i.Open, i => i.AssignedCount + 1 < overlap + i.ExtraOverlap), ct);

    /// <summary>Takes over a place whose lease ran out, so abandoned items return to the pool.</summary>
    private async Task<long?> ReclaimExpiredLeaseAsync(LabelBenchDbContext db, Caller caller, Project project, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var expired = await db.Assignments.AsNoTracking()
            .Where(a => a.ProjectId == project.Id && a.State == AssignmentState.Leased && a.ExpiresAt <= now
                && !db.Annotations.Any(x => x.ItemId == a.ItemId && x.UserId == caller.UserId)
                && !db.Assignments.Any(x => x.ItemId == a.ItemId && x.UserId == caller.UserId))
            .OrderBy(a => a.ExpiresAt).Select(a => new { a.Id, a.ItemId }).Take(CandidateBatch).ToListAsync(ct);
        var expires = LeasePolicy.FromMinutes(project.LeaseMinutes).ExpiresAt(now);
        foreach (var lease in expired)
        {
            try
            {
                var taken = await db.Assignments
                    .Where(a => a.Id == lease.Id && a.State == AssignmentState.Leased && a.ExpiresAt <= now)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.UserId, caller.UserId).SetProperty(a => a.LeasedAt, now).SetProperty(a => a.ExpiresAt, expires), ct);
                if (taken == 1)
                {
                    return lease.ItemId;
                }
            }
            catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException)
            {
                // Unique (item, user): this person got the item another way meanwhile (a bulk update raises the
                // provider's own exception, not EF's).
            }
        }

        return null;
    }

    private async Task<bool> AnyClaimableAsync(LabelBenchDbContext db, Caller caller, long projectId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await OpenForCaller(db, caller, projectId).AnyAsync(ct)
            || await db.Assignments.AnyAsync(a => a.ProjectId == projectId && a.State == AssignmentState.Leased && a.ExpiresAt <= now
                && !db.Assignments.Any(x => x.ItemId == a.ItemId && x.UserId == caller.UserId)
                && !db.Annotations.Any(x => x.ItemId == a.ItemId && x.UserId == caller.UserId), ct);
    }

    private static async Task<NextItem> LoadAsync(LabelBenchDbContext db, Caller caller, Project project, long itemId, bool seesPrivateData, CancellationToken ct)
    {
        var item = await db.Items.AsNoTracking().SingleAsync(i => i.Id == itemId, ct);
        var data = ParseObject(item.DataJson);
        if (!seesPrivateData)
        {
            data = await AnnotatorViewAsync(db, project, data, ct);
        }

        var lease = await db.Assignments.AsNoTracking().Where(a => a.ItemId == itemId && a.UserId == caller.UserId).Select(a => a.ExpiresAt).SingleAsync(ct);
        var draft = await db.Annotations.AsNoTracking().Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.Status == AnnotationStatus.Draft)
            .Select(a => new { a.ResultJson, a.TimeSpentMs }).FirstOrDefaultAsync(ct);
        var predictions = project.ShowPredictions ? await PredictionsAsync(db, itemId, ct) : [];
        return new NextItem(item.Id, item.ExternalId, data, predictions, lease,
            draft is null ? null : ParseObject(draft.ResultJson), draft?.TimeSpentMs ?? 0, project.CurrentSchemaVersion,
            item.MediaType, item.Width, item.Height, item.DurationSeconds);
    }

    /// <summary>
    /// The item data an annotator may see: keys the lead hid are left out, and with masking on, identifiers in text
    /// are masked; text that span fields select in keeps its length, so the offsets fit the stored text.
    /// </summary>
    internal static async Task<JsonObject> AnnotatorViewAsync(LabelBenchDbContext db, Project project, JsonObject data, CancellationToken ct)
    {
        foreach (var key in project.HiddenDataKeys)
        {
            data.Remove(key);
        }

        if (!project.MaskPii)
        {
            return data;
        }

        var schema = await SchemaAsync(db, project.Id, project.CurrentSchemaVersion, ct);
        var spanSources = schema.Fields.Where(f => f.Kind == FieldKind.Spans && f.Source is not null).Select(f => f.Source!).ToHashSet(StringComparer.Ordinal);
        return TextMasker.MaskData(data, spanSources);
    }

    internal static async Task<IReadOnlyList<PredictionView>> PredictionsAsync(LabelBenchDbContext db, long itemId, CancellationToken ct)
    {
        var rows = await db.Predictions.AsNoTracking().Where(p => p.ItemId == itemId).OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Take(5).Select(p => new { p.Id, p.Model, p.ResultJson, p.Score }).ToListAsync(ct);
        return rows.Select(p => new PredictionView(p.Id, p.Model, ParseObject(p.ResultJson), p.Score)).ToList();
    }

    /// <summary>Saves work in progress; the database is the source of truth, so a refresh, a reconnect or a restart brings it back.</summary>
    public async Task SaveDraftAsync(Caller caller, long projectId, long itemId, JsonObject result, long timeSpentMs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        await RequireItemAsync(db, projectId, itemId, ct);
        var now = time.GetUtcNow();
        var json = result.ToJsonString();
        var spent = Math.Max(0, timeSpentMs);
        var updated = await db.Annotations.Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.Status == AnnotationStatus.Draft)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResultJson, json).SetProperty(a => a.TimeSpentMs, spent).SetProperty(a => a.UpdatedAt, now), ct);
        if (updated > 0)
        {
            return;
        }

        var existing = await db.Annotations.AsNoTracking().Where(a => a.ItemId == itemId && a.UserId == caller.UserId).Select(a => (AnnotationStatus?)a.Status).FirstOrDefaultAsync(ct);
        if (existing is { } status)
        {
            throw ServiceException.Conflict($"item {itemId} is already {status.ToString().ToLowerInvariant()}; a draft cannot replace it");
        }

        var version = await db.Projects.Where(p => p.Id == projectId).Select(p => p.CurrentSchemaVersion).SingleAsync(ct);
        db.Annotations.Add(new Annotation
        {
            ProjectId = projectId,
            ItemId = itemId,
            UserId = caller.UserId,
            SchemaVersion = version,
            Status = AnnotationStatus.Draft,
            ResultJson = json,
            TimeSpentMs = spent,
            CreatedAt = now,
            UpdatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another tab saved the first draft (or submitted) at the same moment: write over a draft, never over a submission.
            db.ChangeTracker.Clear();
            await db.Annotations.Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.Status == AnnotationStatus.Draft)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResultJson, json).SetProperty(a => a.TimeSpentMs, spent).SetProperty(a => a.UpdatedAt, now), ct);
        }
    }

    /// <summary>
    /// Stores a submitted annotation. A retry with the same idempotency key returns the first result instead of
    /// failing or storing twice; a second submission without it is a conflict.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(Caller caller, long projectId, long itemId, JsonNode? result, long timeSpentMs, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (idempotencyKey is { Length: > 100 })
        {
            throw ServiceException.Invalid("the idempotency key has at most 100 characters");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        var item = await RequireItemAsync(db, projectId, itemId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = await SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        var checkedResult = Validate(schema, item, result, timeSpentMs);

        var prior = await FindPriorSubmissionAsync(db, caller, itemId, idempotencyKey, ct);
        if (prior is not null)
        {
            return prior;
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var outcome = await TrySubmitAsync(db, caller, project, schema, item, checkedResult, timeSpentMs, idempotencyKey, ct);
            if (outcome is not null)
            {
                return outcome;
            }

            db.ChangeTracker.Clear();
            prior = await FindPriorSubmissionAsync(db, caller, itemId, idempotencyKey, ct);
            if (prior is not null)
            {
                return prior;
            }
        }

        throw ServiceException.Conflict($"item {itemId} changed while it was being submitted; try again");
    }

    private static JsonObject Validate(LabelSchema schema, Item item, JsonNode? result, long timeSpentMs)
    {
        var problems = AnnotationResultValidator.Validate(schema, result, new ItemContext(ParseObject(item.DataJson), item.Width, item.Height, item.DurationSeconds));
        if (problems.Count > 0)
        {
            throw ServiceException.Invalid("the result does not fit the schema: " + string.Join("; ", problems), problems);
        }

        if (timeSpentMs < 0)
        {
            throw ServiceException.Invalid("timeSpentMs must not be negative", [new("timeSpentMs", "must not be negative")]);
        }

        return result!.AsObject();
    }

    private static async Task<SubmitOutcome?> FindPriorSubmissionAsync(LabelBenchDbContext db, Caller caller, long itemId, string? key, CancellationToken ct)
    {
        var existing = await db.Annotations.AsNoTracking().Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.Status != AnnotationStatus.Draft)
            .Select(a => new { a.Id, a.Status, a.IdempotencyKey }).FirstOrDefaultAsync(ct);
        if (existing is null)
        {
            return null;
        }

        if (key is not null && existing.Status == AnnotationStatus.Submitted && existing.IdempotencyKey == key)
        {
            return new SubmitOutcome(existing.Id, Created: false);
        }

        throw ServiceException.Conflict(existing.Status == AnnotationStatus.Skipped
            ? $"you skipped item {itemId}"
            : $"you already submitted an annotation for item {itemId}");
    }

    private async Task<SubmitOutcome?> TrySubmitAsync(LabelBenchDbContext db, Caller caller, Project project, LabelSchema schema, Item item, JsonObject result, long timeSpentMs, string? key, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.ItemId == item.Id && a.UserId == caller.UserId, ct);
        if (assignment is null)
        {
            // Submitting without a lease (REST clients, or a lease that was taken over): claim a place now.
            if (await ClaimPlaceAsync(db, item.Id, project.Overlap, ct) == 0)
            {
                throw ServiceException.Conflict($"item {item.Id} already has all the annotations it needs");
            }

            db.Assignments.Add(new Assignment { ProjectId = project.Id, ItemId = item.Id, UserId = caller.UserId, State = AssignmentState.Submitted, LeasedAt = now, ExpiresAt = now });
        }
        else
        {
            assignment.State = AssignmentState.Submitted;
        }

        var annotation = await db.Annotations.SingleOrDefaultAsync(a => a.ItemId == item.Id && a.UserId == caller.UserId, ct);
        if (annotation is null)
        {
            annotation = new Annotation { ProjectId = project.Id, ItemId = item.Id, UserId = caller.UserId, CreatedAt = now };
            db.Annotations.Add(annotation);
        }
        else if (annotation.Status != AnnotationStatus.Draft)
        {
            return null;
        }

        var predictions = project.ShowPredictions ? await PredictionsAsync(db, item.Id, ct) : [];
        var prediction = predictions.Count > 0 ? predictions[0] : null;
        annotation.Status = AnnotationStatus.Submitted;
        annotation.ResultJson = result.ToJsonString();
        annotation.SchemaVersion = project.CurrentSchemaVersion;
        annotation.TimeSpentMs = timeSpentMs;
        annotation.IdempotencyKey = key;
        annotation.UpdatedAt = now;
        annotation.SubmittedAt = now;
        annotation.PredictionId = prediction?.Id;
        annotation.PredictionAcceptedUnchanged = prediction is null ? null : PreAnnotation.AcceptedUnchanged(schema, prediction.Result, result);
        try
        {
            await db.SaveChangesAsync(ct);
            await db.Items.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.SubmittedCount, i => i.SubmittedCount + 1), ct);
            var (outcome, extension) = await ApplyOverlapAsync(db, project, schema, item.Id, ct);
            // Once the item is complete, the annotations decide whether it has a final label.
            var finalDelta = outcome == OverlapOutcome.Complete
                ? await ItemFinality.RefreshAsync(db, project.Id, project.Overlap, ItemFinality.RuleOf(project.AgreementRule), schema, [item.Id], ct)
                : 0;
            await db.Projects.Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.SubmittedCount, p => p.SubmittedCount + 1)
                .SetProperty(p => p.CompleteCount, p => p.CompleteCount + (outcome == OverlapOutcome.Complete ? 1 : 0))
                .SetProperty(p => p.FinalCount, p => p.FinalCount + finalDelta), ct);
            // Audit events last: every writer takes row locks (item, project) before the audit chain's lock, so none can deadlock.
            await audit.AppendAsync(db, "annotation.submitted", caller, project.Id, "annotation", annotation.Id.ToString(CultureInfo.InvariantCulture),
                after: new { itemId = item.Id, result, timeSpentMs }, ct: ct);
            if (extension is not null)
            {
                await AuditExtensionAsync(db, caller, project, item.Id, extension, ct);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new SubmitOutcome(annotation.Id, Created: true);
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct);
            return null;
        }
    }

    /// <summary>
    /// Once an item's submissions reach its target, Core's <see cref="OverlapPolicy"/> decides: done, or one more
    /// place (dynamic overlap). The extension is a conditional update on the extra count read here, so two writers
    /// can never open two places for one disagreement.
    /// </summary>
    private static async Task<(OverlapOutcome Outcome, OverlapExtension? Extension)> ApplyOverlapAsync(LabelBenchDbContext db, Project project, LabelSchema schema, long itemId, CancellationToken ct)
    {
        var counts = await db.Items.AsNoTracking().Where(i => i.Id == itemId).Select(i => new { i.SubmittedCount, i.ExtraOverlap }).SingleAsync(ct);
        var policy = PolicyOf(project);
        if (counts.SubmittedCount != policy.Target(counts.ExtraOverlap))
        {
            return (OverlapOutcome.Waiting, null);
        }

        if (!policy.IsDynamic)
        {
            return (OverlapOutcome.Complete, null);
        }

        var results = await SubmittedResultsAsync(db, itemId, ct);
        var outcome = policy.Decide(schema, results, counts.ExtraOverlap);
        if (outcome != OverlapOutcome.OneMore)
        {
            return (outcome, null);
        }

        var extension = await OpenOneMoreAsync(db, project, itemId, counts.ExtraOverlap, results.Count, ct);
        return extension is null ? (OverlapOutcome.Waiting, null) : (outcome, extension);
    }

    /// <summary>A place opened by dynamic overlap, for the audit trail.</summary>
    private sealed record OverlapExtension(int Before, int After, int Annotations);

    private static async Task<OverlapExtension?> OpenOneMoreAsync(LabelBenchDbContext db, Project project, long itemId, int extra, int annotations, CancellationToken ct)
    {
        var overlap = project.Overlap;
        var opened = await db.Items.Where(i => i.Id == itemId && i.ExtraOverlap == extra)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExtraOverlap, i => i.ExtraOverlap + 1)
                .SetProperty(i => i.Open, i => i.AssignedCount < overlap + i.ExtraOverlap + 1), ct);
        return opened == 0 ? null : new OverlapExtension(overlap + extra, overlap + extra + 1, annotations);
    }

    private Task AuditExtensionAsync(LabelBenchDbContext db, Caller caller, Project project, long itemId, OverlapExtension extension, CancellationToken ct) =>
        audit.AppendAsync(db, "item.overlap-extended", caller, project.Id, "item", itemId.ToString(CultureInfo.InvariantCulture),
            before: new { target = extension.Before }, after: new { target = extension.After, annotations = extension.Annotations }, reason: "the annotators disagree", ct: ct);

    private static async Task<List<JsonObject>> SubmittedResultsAsync(LabelBenchDbContext db, long itemId, CancellationToken ct)
    {
        var rows = await db.Annotations.AsNoTracking().Where(a => a.ItemId == itemId && a.Status == AnnotationStatus.Submitted)
            .OrderBy(a => a.Id).Select(a => a.ResultJson).ToListAsync(ct);
        return rows.Select(ParseObject).ToList();
    }

    private static OverlapPolicy PolicyOf(Project project) =>
        new(Math.Max(1, project.Overlap), project.MaxOverlap, AgreementRules.Parse(project.AgreementRule));

    /// <summary>Records a skip and frees the caller's place on the item for someone else.</summary>
    public async Task SkipAsync(Caller caller, long projectId, long itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        await RequireItemAsync(db, projectId, itemId, ct);
        var now = time.GetUtcNow();
        var overlap = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Overlap).SingleAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var annotation = await db.Annotations.SingleOrDefaultAsync(a => a.ItemId == itemId && a.UserId == caller.UserId, ct);
        if (annotation is { Status: AnnotationStatus.Submitted })
        {
            throw ServiceException.Conflict($"you already submitted item {itemId}; it cannot be skipped");
        }

        if (annotation is { Status: AnnotationStatus.Skipped })
        {
            return;
        }

        if (annotation is null)
        {
            annotation = new Annotation { ProjectId = projectId, ItemId = itemId, UserId = caller.UserId, CreatedAt = now };
            db.Annotations.Add(annotation);
        }

        annotation.Status = AnnotationStatus.Skipped;
        annotation.UpdatedAt = now;
        var released = await db.Assignments.Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.State == AssignmentState.Leased).ExecuteDeleteAsync(ct);
        if (released > 0)
        {
            await db.Items.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.AssignedCount, i => i.AssignedCount - 1)
                .SetProperty(i => i.Open, i => i.AssignedCount - 1 < overlap + i.ExtraOverlap), ct);
        }

        await audit.AppendAsync(db, "annotation.skipped", caller, projectId, "item", itemId.ToString(CultureInfo.InvariantCulture), ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The caller's last submissions in the project, newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(Caller caller, long projectId, int take = 20, CancellationToken ct = default)
    {
        if (take is < 1 or > HistoryLimit)
        {
            throw ServiceException.Invalid($"take is 1..{HistoryLimit}", [new("take", $"must be between 1 and {HistoryLimit}")]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = await SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        var rows = await db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.UserId == caller.UserId && a.Status == AnnotationStatus.Submitted)
            .OrderByDescending(a => a.SubmittedAt).ThenByDescending(a => a.Id).Take(take)
            .Select(a => new
            {
                a.Id,
                a.ItemId,
                a.SubmittedAt,
                a.Item!.ExternalId,
                a.Item.DataJson,
                Adjudicated = db.Adjudications.Any(j => j.ItemId == a.ItemId),
            })
            .ToListAsync(ct);
        var keys = schema.DataKeys().ToList();
        return rows.Select(r => new HistoryEntry(r.Id, r.ItemId, r.ExternalId, r.SubmittedAt ?? default, r.Adjudicated, Preview(ParseObject(r.DataJson), keys))).ToList();
    }

    private static string Preview(JsonObject data, IReadOnlyList<string> keys)
    {
        foreach (var key in keys.Concat(data.Select(p => p.Key)))
        {
            if (data[key] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s))
            {
                var flat = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                return flat.Length <= PreviewLength ? flat : string.Concat(flat.AsSpan(0, PreviewLength), "…");
            }
        }

        return string.Empty;
    }

    /// <summary>The caller's submitted annotation of an item, to look at again or correct.</summary>
    public async Task<SubmittedAnnotation> SubmittedAsync(Caller caller, long projectId, long itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        var item = await RequireItemAsync(db, projectId, itemId, ct);
        var annotation = await db.Annotations.AsNoTracking()
            .Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.Status == AnnotationStatus.Submitted)
            .Select(a => new { a.Id, a.ResultJson, a.TimeSpentMs, a.SubmittedAt, a.SchemaVersion }).FirstOrDefaultAsync(ct)
            ?? throw ServiceException.NotFound($"you have not submitted an annotation for item {itemId}");
        var adjudicated = await db.Adjudications.AnyAsync(j => j.ItemId == itemId, ct);
        return new SubmittedAnnotation(annotation.Id, item.Id, item.ExternalId, ParseObject(item.DataJson), ParseObject(annotation.ResultJson),
            annotation.TimeSpentMs, annotation.SubmittedAt ?? default, adjudicated, annotation.SchemaVersion, item.MediaType, item.Width, item.Height, item.DurationSeconds);
    }

    /// <summary>
    /// Corrects the caller's submitted annotation while the item has no adjudication; audited with the result before
    /// and after. Once a reviewer has decided the item, the correction is refused (Conflict): the decision was made
    /// on what was submitted. <paramref name="extraTimeMs"/> (time spent correcting) is added to the time spent.
    /// </summary>
    public async Task<long> EditSubmittedAsync(Caller caller, long projectId, long itemId, JsonNode? result, long extraTimeMs = 0, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        var item = await RequireItemAsync(db, projectId, itemId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = await SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        var corrected = Validate(schema, item, result, extraTimeMs);
        var now = time.GetUtcNow();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var annotation = await db.Annotations.AsNoTracking()
            .Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.Status == AnnotationStatus.Submitted)
            .Select(a => new { a.Id, a.ResultJson, a.PredictionId }).FirstOrDefaultAsync(ct)
            ?? throw ServiceException.NotFound($"you have not submitted an annotation for item {itemId}");
        var json = corrected.ToJsonString();
        var prediction = annotation.PredictionId is { } pid
            ? await db.Predictions.AsNoTracking().Where(p => p.Id == pid).Select(p => p.ResultJson).FirstOrDefaultAsync(ct)
            : null;
        bool? acceptedUnchanged = prediction is null ? null : PreAnnotation.AcceptedUnchanged(schema, ParseObject(prediction), corrected);
        var version = project.CurrentSchemaVersion;

        // The adjudication check is part of the update itself, so a decision saved meanwhile wins.
        var updated = await db.Annotations
            .Where(a => a.Id == annotation.Id && a.Status == AnnotationStatus.Submitted && !db.Adjudications.Any(j => j.ItemId == itemId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResultJson, json)
                .SetProperty(a => a.SchemaVersion, version)
                .SetProperty(a => a.TimeSpentMs, a => a.TimeSpentMs + extraTimeMs)
                .SetProperty(a => a.UpdatedAt, now)
                .SetProperty(a => a.PredictionAcceptedUnchanged, acceptedUnchanged), ct);
        if (updated == 0)
        {
            throw ServiceException.Conflict($"item {itemId} has been adjudicated by a reviewer; your annotation can no longer be changed");
        }

        var extension = await ReconsiderOverlapAsync(db, project, schema, itemId, ct);
        await audit.AppendAsync(db, "annotation.corrected", caller, projectId, "annotation", annotation.Id.ToString(CultureInfo.InvariantCulture),
            before: new { itemId, result = JsonNode.Parse(annotation.ResultJson) }, after: new { itemId, result = corrected }, ct: ct);
        if (extension is not null)
        {
            await AuditExtensionAsync(db, caller, project, itemId, extension, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return annotation.Id;
    }

    /// <summary>A correction can turn agreement into disagreement: a completed item may then need one more annotator.</summary>
    private static async Task<OverlapExtension?> ReconsiderOverlapAsync(LabelBenchDbContext db, Project project, LabelSchema schema, long itemId, CancellationToken ct)
    {
        var policy = PolicyOf(project);
        if (!policy.IsDynamic)
        {
            return null;
        }

        var counts = await db.Items.AsNoTracking().Where(i => i.Id == itemId).Select(i => new { i.SubmittedCount, i.ExtraOverlap }).SingleAsync(ct);
        if (counts.SubmittedCount != policy.Target(counts.ExtraOverlap))
        {
            return null;
        }

        var results = await SubmittedResultsAsync(db, itemId, ct);
        if (policy.Decide(schema, results, counts.ExtraOverlap) != OverlapOutcome.OneMore)
        {
            return null;
        }

        var extension = await OpenOneMoreAsync(db, project, itemId, counts.ExtraOverlap, results.Count, ct);
        if (extension is not null)
        {
            await db.Projects.Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.CompleteCount, p => p.CompleteCount - 1), ct);
        }

        return extension;
    }

    public async Task<QueueProgress> ProgressAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RolesAsync(db, caller, projectId, ct);
        var mine = await db.Annotations.AsNoTracking().Where(a => a.ProjectId == projectId && a.UserId == caller.UserId && a.Status != AnnotationStatus.Draft)
            .GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.ItemCount, p.CompleteCount }).SingleAsync(ct);
        return new QueueProgress(
            mine.Where(m => m.Key == AnnotationStatus.Submitted).Sum(m => m.Count),
            mine.Where(m => m.Key == AnnotationStatus.Skipped).Sum(m => m.Count),
            project.ItemCount,
            project.CompleteCount);
    }

    internal static async Task<Item> RequireItemAsync(LabelBenchDbContext db, long projectId, long itemId, CancellationToken ct) =>
        await db.Items.AsNoTracking().SingleOrDefaultAsync(i => i.Id == itemId && i.ProjectId == projectId && !i.Pending, ct)
        ?? throw ServiceException.NotFound($"item {itemId} does not exist in project {projectId}");

    internal static async Task<LabelSchema> SchemaAsync(LabelBenchDbContext db, long projectId, int version, CancellationToken ct)
    {
        var json = await db.SchemaVersions.AsNoTracking().Where(s => s.ProjectId == projectId && s.Version == version).Select(s => s.Json).SingleAsync(ct);
        return LabelSchemaJson.Parse(json).Value ?? throw new InvalidOperationException($"Stored schema version {version} of project {projectId} is invalid.");
    }

    internal static JsonObject ParseObject(string json) => JsonNode.Parse(json) as JsonObject ?? new JsonObject();
}
