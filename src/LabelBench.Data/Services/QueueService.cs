using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Privacy;
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

/// <summary>
/// Work distribution: each item goes to <c>overlap</c> distinct annotators, never twice to one person.
/// The database settles races: a conditional update claims one of an item's places, unique indexes refuse a
/// second assignment or annotation for the same person, so it holds across app instances.
/// </summary>
public sealed class QueueService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    private const int CandidateBatch = 8;

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

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var itemId = await HeldItemAsync(db, caller, projectId, project.LeaseMinutes, ct)
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
    private async Task<long?> HeldItemAsync(LabelBenchDbContext db, Caller caller, long projectId, int leaseMinutes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var held = await db.Assignments.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.UserId == caller.UserId && a.State == AssignmentState.Leased)
            .OrderBy(a => a.LeasedAt).Select(a => new { a.Id, a.ItemId }).FirstOrDefaultAsync(ct);
        if (held is null)
        {
            return null;
        }

        var expires = now.AddMinutes(leaseMinutes);
        await db.Assignments.Where(a => a.Id == held.Id && a.UserId == caller.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ExpiresAt, expires), ct);
        return held.ItemId;
    }

    private IQueryable<Item> OpenCandidates(LabelBenchDbContext db, Caller caller, Project project)
    {
        var query = db.Items.AsNoTracking().Where(i => i.ProjectId == project.Id && i.Open
            && !db.Annotations.Any(a => a.ItemId == i.Id && a.UserId == caller.UserId)
            && !db.Assignments.Any(a => a.ItemId == i.Id && a.UserId == caller.UserId));
        return project.QueueOrder switch
        {
            "random" => query.OrderBy(i => i.RandomKey).ThenBy(i => i.Id),
            "uncertainty" => query.OrderByDescending(i => i.Uncertainty.HasValue).ThenByDescending(i => i.Uncertainty).ThenBy(i => i.Id),
            _ => query.OrderBy(i => i.Id),
        };
    }

    private async Task<long?> ClaimOpenItemAsync(LabelBenchDbContext db, Caller caller, Project project, CancellationToken ct)
    {
        var candidates = await OpenCandidates(db, caller, project).Select(i => i.Id).Take(CandidateBatch).ToListAsync(ct);
        foreach (var itemId in candidates)
        {
            if (await TryClaimAsync(db, caller, project, itemId, ct))
            {
                return itemId;
            }
        }

        return null;
    }

    /// <summary>Claims one of the item's places for the caller: the conditional update never passes the overlap.</summary>
    private async Task<bool> TryClaimAsync(LabelBenchDbContext db, Caller caller, Project project, long itemId, CancellationToken ct, AssignmentState state = AssignmentState.Leased)
    {
        var now = time.GetUtcNow();
        var overlap = project.Overlap;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Items.Where(i => i.Id == itemId && i.AssignedCount < overlap)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AssignedCount, i => i.AssignedCount + 1)
                .SetProperty(i => i.Open, i => i.AssignedCount + 1 < overlap), ct);
        if (claimed == 0)
        {
            return false;
        }

        db.Assignments.Add(new Assignment
        {
            ProjectId = project.Id,
            ItemId = itemId,
            UserId = caller.UserId,
            State = state,
            LeasedAt = now,
            ExpiresAt = now.AddMinutes(project.LeaseMinutes),
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

    /// <summary>Takes over a place whose lease ran out, so abandoned items return to the pool.</summary>
    private async Task<long?> ReclaimExpiredLeaseAsync(LabelBenchDbContext db, Caller caller, Project project, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var expired = await db.Assignments.AsNoTracking()
            .Where(a => a.ProjectId == project.Id && a.State == AssignmentState.Leased && a.ExpiresAt < now
                && !db.Annotations.Any(x => x.ItemId == a.ItemId && x.UserId == caller.UserId)
                && !db.Assignments.Any(x => x.ItemId == a.ItemId && x.UserId == caller.UserId))
            .OrderBy(a => a.ExpiresAt).Select(a => new { a.Id, a.ItemId }).Take(CandidateBatch).ToListAsync(ct);
        foreach (var lease in expired)
        {
            try
            {
                var expires = now.AddMinutes(project.LeaseMinutes);
                var taken = await db.Assignments
                    .Where(a => a.Id == lease.Id && a.State == AssignmentState.Leased && a.ExpiresAt < now)
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
        return await db.Items.AnyAsync(i => i.ProjectId == projectId && i.Open
                && !db.Annotations.Any(a => a.ItemId == i.Id && a.UserId == caller.UserId)
                && !db.Assignments.Any(a => a.ItemId == i.Id && a.UserId == caller.UserId), ct)
            || await db.Assignments.AnyAsync(a => a.ProjectId == projectId && a.State == AssignmentState.Leased && a.ExpiresAt < now
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

    /// <summary>Saves work in progress; the database is the source of truth, so a refresh or restart brings it back.</summary>
    public async Task SaveDraftAsync(Caller caller, long projectId, long itemId, JsonObject result, long timeSpentMs, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        await RequireItemAsync(db, projectId, itemId, ct);
        var now = time.GetUtcNow();
        var json = result.ToJsonString();
        var updated = await db.Annotations.Where(a => a.ItemId == itemId && a.UserId == caller.UserId && a.Status == AnnotationStatus.Draft)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResultJson, json).SetProperty(a => a.TimeSpentMs, timeSpentMs).SetProperty(a => a.UpdatedAt, now), ct);
        if (updated > 0)
        {
            return;
        }

        var existing = await db.Annotations.AsNoTracking().Where(a => a.ItemId == itemId && a.UserId == caller.UserId).Select(a => a.Status).FirstOrDefaultAsync(ct);
        if (await db.Annotations.AnyAsync(a => a.ItemId == itemId && a.UserId == caller.UserId, ct))
        {
            throw ServiceException.Conflict($"item {itemId} is already {existing.ToString().ToLowerInvariant()}; a draft cannot replace it");
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
            TimeSpentMs = timeSpentMs,
            CreatedAt = now,
            UpdatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another tab saved the first draft at the same moment; the next autosave updates it.
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
        var problems = AnnotationResultValidator.Validate(schema, result, new ItemContext(ParseObject(item.DataJson), item.Width, item.Height, item.DurationSeconds));
        if (problems.Count > 0)
        {
            throw ServiceException.Invalid("the result does not fit the schema: " + string.Join("; ", problems), problems);
        }

        if (timeSpentMs < 0)
        {
            throw ServiceException.Invalid("timeSpentMs must not be negative", [new("timeSpentMs", "must not be negative")]);
        }

        var prior = await FindPriorSubmissionAsync(db, caller, itemId, idempotencyKey, ct);
        if (prior is not null)
        {
            return prior;
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var outcome = await TrySubmitAsync(db, caller, project, schema, item, result!.AsObject(), timeSpentMs, idempotencyKey, ct);
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
            var claimed = await db.Items.Where(i => i.Id == item.Id && i.AssignedCount < project.Overlap)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AssignedCount, i => i.AssignedCount + 1)
                    .SetProperty(i => i.Open, i => i.AssignedCount + 1 < project.Overlap), ct);
            if (claimed == 0)
            {
                throw ServiceException.Conflict($"item {item.Id} already has its {project.Overlap} annotation(s)");
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
        annotation.PredictionAcceptedUnchanged = prediction is null ? null : JsonNode.DeepEquals(prediction.Result, result);
        try
        {
            await db.SaveChangesAsync(ct);
            await db.Items.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.SubmittedCount, i => i.SubmittedCount + 1), ct);
            var submitted = await db.Items.Where(i => i.Id == item.Id).Select(i => i.SubmittedCount).SingleAsync(ct);
            var reached = submitted == project.Overlap;
            // Once the item has its overlap, the annotations decide whether it has a final label.
            var finalDelta = submitted >= project.Overlap
                ? await ItemFinality.RefreshAsync(db, project.Id, project.Overlap, ItemFinality.RuleOf(project.AgreementRule), schema, [item.Id], ct)
                : 0;
            await db.Projects.Where(p => p.Id == project.Id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.SubmittedCount, p => p.SubmittedCount + 1)
                .SetProperty(p => p.CompleteCount, p => p.CompleteCount + (reached ? 1 : 0))
                .SetProperty(p => p.FinalCount, p => p.FinalCount + finalDelta), ct);
            await audit.AppendAsync(db, "annotation.submitted", caller, project.Id, "annotation", annotation.Id.ToString(CultureInfo.InvariantCulture),
                after: new { itemId = item.Id, result, timeSpentMs }, ct: ct);
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
                .SetProperty(i => i.Open, i => i.AssignedCount - 1 < overlap), ct);
        }

        await audit.AppendAsync(db, "annotation.skipped", caller, projectId, "item", itemId.ToString(CultureInfo.InvariantCulture), ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
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
        await db.Items.AsNoTracking().SingleOrDefaultAsync(i => i.Id == itemId && i.ProjectId == projectId, ct)
        ?? throw ServiceException.NotFound($"item {itemId} does not exist in project {projectId}");

    internal static async Task<LabelSchema> SchemaAsync(LabelBenchDbContext db, long projectId, int version, CancellationToken ct)
    {
        var json = await db.SchemaVersions.AsNoTracking().Where(s => s.ProjectId == projectId && s.Version == version).Select(s => s.Json).SingleAsync(ct);
        return LabelSchemaJson.Parse(json).Value ?? throw new InvalidOperationException($"Stored schema version {version} of project {projectId} is invalid.");
    }

    internal static JsonObject ParseObject(string json) => JsonNode.Parse(json) as JsonObject ?? new JsonObject();
}
