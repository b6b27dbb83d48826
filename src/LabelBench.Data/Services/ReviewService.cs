using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Review;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>Filters of the review queue.</summary>
public sealed record ReviewQueueFilter(
    string? Label = null,
    string? AnnotatorId = null,
    double? MinDisagreement = null,
    bool FlaggedOnly = false,
    int Page = 1,
    int PageSize = 50);

/// <summary>One item waiting for a reviewer.</summary>
public sealed record ReviewQueueEntry(long ItemId, string? ExternalId, double Disagreement, int Annotations, bool Flagged, string Preview);

public sealed record ReviewQueuePage(int Page, int PageSize, long Total, IReadOnlyList<ReviewQueueEntry> Items);

/// <summary>One annotator's result as a reviewer sees it.</summary>
public sealed record ReviewAnnotation(
    long Id, string AnnotatorId, string Annotator, JsonObject Result, long TimeSpentMs, DateTimeOffset? SubmittedAt, string? Comment, bool Flagged, bool IsMine, int SchemaVersion);

/// <summary>A reviewer's decision as stored; <see cref="Version"/> goes with the next change (optimistic concurrency).</summary>
public sealed record AdjudicationView(long Id, string Kind, long? AcceptedAnnotationId, JsonObject Result, string? Reason, string ReviewerId, string Reviewer, DateTimeOffset CreatedAt, Guid Version);

/// <summary>Everything the side-by-side view shows for an item.</summary>
public sealed record ReviewItem(
    long ItemId,
    string? ExternalId,
    JsonObject Data,
    string? MediaType,
    int? Width,
    int? Height,
    double? DurationSeconds,
    LabelSchema Schema,
    IReadOnlyList<ReviewAnnotation> Annotations,
    IReadOnlyList<PredictionView> Predictions,
    IReadOnlyList<FieldDisagreement> Fields,
    double Disagreement,
    AdjudicationView? Adjudication,
    bool CanAdjudicate,
    string? CannotAdjudicateReason);

/// <summary>
/// A reviewer's decision: accept one annotation, or give a result (a merge edited from an annotation, or an override
/// with a reason). <see cref="ExpectedVersion"/> is the version the reviewer saw (null when there was no decision yet).
/// </summary>
public sealed record AdjudicationRequest(long? AcceptAnnotationId, JsonObject? Result, string? Reason, long? BasedOnAnnotationId = null, Guid? ExpectedVersion = null);

/// <summary>Review and adjudication: the disagreement-first queue, side-by-side view, decisions and send-back.</summary>
public sealed class ReviewService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    private const int ScoreBatch = 500;
    private const int MaxScoredPerCall = 20_000;

    public async Task<ReviewQueuePage> QueueAsync(Caller caller, long projectId, ReviewQueueFilter filter, CancellationToken ct = default)
    {
        if (filter.Page < 1 || filter.PageSize is < 1 or > 500)
        {
            throw ServiceException.Invalid("page starts at 1 and pageSize is 1..500");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Reviewer, ProjectRole.Lead);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        await RefreshScoresAsync(db, project, ct);

        var overlap = project.Overlap;
        var query = db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending
            && (i.SubmittedCount >= overlap || i.Flagged)
            && !db.Adjudications.Any(a => a.ItemId == i.Id));
        if (filter.FlaggedOnly)
        {
            query = query.Where(i => i.Flagged);
        }

        if (filter.MinDisagreement is { } min)
        {
            query = query.Where(i => i.ReviewScore >= min);
        }

        if (!string.IsNullOrEmpty(filter.AnnotatorId))
        {
            query = query.Where(i => db.Annotations.Any(a => a.ItemId == i.Id && a.UserId == filter.AnnotatorId && a.Status == AnnotationStatus.Submitted));
        }

        if (!string.IsNullOrEmpty(filter.Label))
        {
            // Labels are JSON strings inside results: a text match on the quoted value finds them on both providers.
            var quoted = "%\"" + filter.Label.Replace("%", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal) + "\"%";
            query = query.Where(i => db.Annotations.Any(a => a.ItemId == i.Id && a.Status == AnnotationStatus.Submitted && EF.Functions.Like(a.ResultJson, quoted)));
        }

        var total = await query.LongCountAsync(ct);
        var rows = await query.OrderByDescending(i => i.Flagged).ThenByDescending(i => i.ReviewScore).ThenBy(i => i.Id)
            .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
            .Select(i => new { i.Id, i.ExternalId, i.ReviewScore, i.SubmittedCount, i.Flagged, i.DataJson })
            .ToListAsync(ct);
        var schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        return new ReviewQueuePage(filter.Page, filter.PageSize, total, rows.Select(r => new ReviewQueueEntry(
            r.Id, r.ExternalId, r.ReviewScore ?? 0, r.SubmittedCount, r.Flagged, Preview(schema, QueueService.ParseObject(r.DataJson)))).ToList());
    }

    /// <summary>Scores items whose submitted count changed since they were last scored (bounded work per call).</summary>
    private async Task RefreshScoresAsync(LabelBenchDbContext db, Project project, CancellationToken ct)
    {
        var schema = await QueueService.SchemaAsync(db, project.Id, project.CurrentSchemaVersion, ct);
        var scored = 0;
        while (scored < MaxScoredPerCall)
        {
            var stale = await db.Items.AsNoTracking()
                .Where(i => i.ProjectId == project.Id && i.SubmittedCount >= 2 && i.ReviewScoreAt != i.SubmittedCount)
                .OrderBy(i => i.Id).Select(i => new { i.Id, i.SubmittedCount }).Take(ScoreBatch).ToListAsync(ct);
            if (stale.Count == 0)
            {
                return;
            }

            var ids = stale.Select(s => s.Id).ToList();
            var results = (await db.Annotations.AsNoTracking()
                    .Where(a => ids.Contains(a.ItemId) && a.Status == AnnotationStatus.Submitted)
                    .Select(a => new { a.ItemId, a.ResultJson }).ToListAsync(ct))
                .ToLookup(a => a.ItemId, a => QueueService.ParseObject(a.ResultJson));
            foreach (var item in stale)
            {
                var (score, _) = ItemDisagreement.Score(schema, results[item.Id].ToList());
                var at = item.SubmittedCount;
                // Conditional on the count it was computed for: a submit in between leaves it stale for the next call.
                await db.Items.Where(i => i.Id == item.Id && i.SubmittedCount == at)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.ReviewScore, score).SetProperty(i => i.ReviewScoreAt, at), ct);
            }

            scored += stale.Count;
        }
    }

    public async Task<ReviewItem> ItemAsync(Caller caller, long projectId, long itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Reviewer, ProjectRole.Lead);
        var item = await QueueService.RequireItemAsync(db, projectId, itemId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        var rows = await db.Annotations.AsNoTracking().Where(a => a.ItemId == itemId && a.Status == AnnotationStatus.Submitted)
            .OrderBy(a => a.SubmittedAt).ThenBy(a => a.Id).ToListAsync(ct);
        var userIds = rows.Select(r => r.UserId).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, ct);
        var annotations = rows.Select(a => new ReviewAnnotation(a.Id, a.UserId, emails.GetValueOrDefault(a.UserId, a.UserId),
            QueueService.ParseObject(a.ResultJson), a.TimeSpentMs, a.SubmittedAt, a.Comment, a.Flagged, a.UserId == caller.UserId, a.SchemaVersion)).ToList();
        var (score, fields) = ItemDisagreement.Score(schema, annotations.Select(a => a.Result).ToList());
        var adjudication = await AdjudicationAsync(db, itemId, ct);
        var ownWork = annotations.Any(a => a.IsMine);
        var canAdjudicate = !ownWork || project.AllowSelfReview;
        return new ReviewItem(item.Id, item.ExternalId, QueueService.ParseObject(item.DataJson), item.MediaType, item.Width, item.Height, item.DurationSeconds,
            schema, annotations, await QueueService.PredictionsAsync(db, itemId, ct), fields, score, adjudication, canAdjudicate,
            canAdjudicate ? null : "you annotated this item yourself, and the project does not allow reviewing your own annotations");
    }

    private static async Task<AdjudicationView?> AdjudicationAsync(LabelBenchDbContext db, long itemId, CancellationToken ct)
    {
        var a = await db.Adjudications.AsNoTracking().SingleOrDefaultAsync(x => x.ItemId == itemId, ct);
        if (a is null)
        {
            return null;
        }

        var reviewer = await db.Users.AsNoTracking().Where(u => u.Id == a.ReviewerId).Select(u => u.Email).SingleOrDefaultAsync(ct) ?? a.ReviewerId;
        return new AdjudicationView(a.Id, a.Kind.ToString().ToLowerInvariant(), a.AcceptedAnnotationId, QueueService.ParseObject(a.ResultJson), a.Reason, a.ReviewerId, reviewer, a.CreatedAt, a.Version);
    }

    /// <summary>
    /// Records the final decision for an item. Overrides need a reason; reviewers may not decide on their own work
    /// unless the project allows it; a decision made on a stale view (someone decided meanwhile) is a conflict.
    /// </summary>
    public async Task<AdjudicationView> AdjudicateAsync(Caller caller, long projectId, long itemId, AdjudicationRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Reviewer, ProjectRole.Lead);
        var item = await QueueService.RequireItemAsync(db, projectId, itemId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        var annotations = await db.Annotations.AsNoTracking().Where(a => a.ItemId == itemId && a.Status == AnnotationStatus.Submitted).ToListAsync(ct);
        if (!project.AllowSelfReview && annotations.Any(a => a.UserId == caller.UserId))
        {
            throw ServiceException.Forbidden($"you annotated item {itemId} yourself, and the project does not allow reviewing your own annotations");
        }

        AdjudicationKind kind;
        JsonObject result;
        long? accepted = null;
        if (request.AcceptAnnotationId is { } acceptId)
        {
            var chosen = annotations.FirstOrDefault(a => a.Id == acceptId)
                ?? throw ServiceException.Invalid($"acceptAnnotationId: annotation {acceptId} is not a submitted annotation of item {itemId}", [new("acceptAnnotationId", "not a submitted annotation of this item")]);
            kind = AdjudicationKind.Accept;
            result = QueueService.ParseObject(chosen.ResultJson);
            accepted = acceptId;
        }
        else if (request.Result is { } given)
        {
            if (string.IsNullOrWhiteSpace(request.Reason) && request.BasedOnAnnotationId is null)
            {
                throw ServiceException.Invalid("reason: an override needs a reason", [new("reason", "an override needs a reason")]);
            }

            var problems = AnnotationResultValidator.Validate(schema, given, new ItemContext(QueueService.ParseObject(item.DataJson), item.Width, item.Height, item.DurationSeconds));
            if (problems.Count > 0)
            {
                throw ServiceException.Invalid("the result does not fit the schema: " + string.Join("; ", problems), problems);
            }

            if (request.BasedOnAnnotationId is { } basedOn && annotations.All(a => a.Id != basedOn))
            {
                throw ServiceException.Invalid($"basedOnAnnotationId: annotation {basedOn} is not a submitted annotation of item {itemId}");
            }

            kind = request.BasedOnAnnotationId is null ? AdjudicationKind.Override : AdjudicationKind.Merge;
            result = given;
        }
        else
        {
            throw ServiceException.Invalid("give acceptAnnotationId, or result with a reason", [new("result", "give acceptAnnotationId, or result with a reason")]);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.Adjudications.SingleOrDefaultAsync(a => a.ItemId == itemId, ct);
        var before = existing is null ? null : new { kind = existing.Kind.ToString().ToLowerInvariant(), result = JsonNode.Parse(existing.ResultJson), existing.Reason, existing.ReviewerId };
        var now = time.GetUtcNow();
        if (existing is null)
        {
            if (request.ExpectedVersion is not null)
            {
                throw ServiceException.Conflict($"item {itemId} has no decision to change");
            }

            existing = new Adjudication { ProjectId = projectId, ItemId = itemId, ReviewerId = caller.UserId, ResultJson = "{}" };
            db.Adjudications.Add(existing);
        }
        else if (request.ExpectedVersion != existing.Version)
        {
            throw ServiceException.Conflict($"another reviewer decided item {itemId} meanwhile; reload it to see their decision");
        }

        existing.Kind = kind;
        existing.ResultJson = result.ToJsonString();
        existing.AcceptedAnnotationId = accepted;
        existing.Reason = request.Reason;
        existing.ReviewerId = caller.UserId;
        existing.SchemaVersion = project.CurrentSchemaVersion;
        existing.CreatedAt = now;
        existing.Version = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(ct);
            // An adjudicated item is final: keep Item.Final and the project's counter in step.
            var finalDelta = await ItemFinality.RefreshAsync(db, projectId, project.Overlap, ItemFinality.RuleOf(project.AgreementRule), schema, [itemId], ct);
            if (finalDelta != 0)
            {
                await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.FinalCount, p => p.FinalCount + finalDelta), ct);
            }

            await audit.AppendAsync(db, "adjudication.saved", caller, projectId, "item", itemId.ToString(CultureInfo.InvariantCulture),
                before: before, after: new { kind = kind.ToString().ToLowerInvariant(), result, acceptedAnnotationId = accepted, basedOnAnnotationId = request.BasedOnAnnotationId },
                reason: request.Reason, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Unique item index or the version token: another reviewer saved first.
            throw ServiceException.Conflict($"another reviewer decided item {itemId} at the same moment; reload it to see their decision");
        }

        return (await AdjudicationAsync(db, itemId, ct))!;
    }

    /// <summary>
    /// An annotator asks a reviewer to look at an item (ambiguous, broken, off-guidelines): the item enters the review
    /// queue ahead of the rest, with the annotator's comment beside their annotation.
    /// </summary>
    public async Task FlagAsync(Caller caller, long projectId, long itemId, string? comment, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator);
        await QueueService.RequireItemAsync(db, projectId, itemId, ct);
        if (comment is { Length: > 2000 })
        {
            throw ServiceException.Invalid("comment: at most 2000 characters", [new("comment", "at most 2000 characters")]);
        }

        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var annotation = await db.Annotations.SingleOrDefaultAsync(a => a.ItemId == itemId && a.UserId == caller.UserId, ct);
        if (annotation is null)
        {
            var version = await db.Projects.Where(p => p.Id == projectId).Select(p => p.CurrentSchemaVersion).SingleAsync(ct);
            annotation = new Annotation { ProjectId = projectId, ItemId = itemId, UserId = caller.UserId, Status = AnnotationStatus.Draft, SchemaVersion = version, CreatedAt = now };
            db.Annotations.Add(annotation);
        }

        annotation.Flagged = true;
        annotation.Comment = string.IsNullOrWhiteSpace(comment) ? annotation.Comment : comment.Trim();
        annotation.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await db.Items.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Flagged, true), ct);
        await audit.AppendAsync(db, "item.flagged", caller, projectId, "item", itemId.ToString(CultureInfo.InvariantCulture), after: new { comment }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Returns an annotation to its annotator with a comment: it is their draft again and first in their queue.</summary>
    public async Task SendBackAsync(Caller caller, long projectId, long itemId, long annotationId, string comment, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw ServiceException.Invalid("comment: say what the annotator should change", [new("comment", "required")]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Reviewer, ProjectRole.Lead);
        await QueueService.RequireItemAsync(db, projectId, itemId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.Adjudications.AnyAsync(a => a.ItemId == itemId, ct))
        {
            throw ServiceException.Conflict($"item {itemId} already has a final decision");
        }

        var annotation = await db.Annotations.SingleOrDefaultAsync(a => a.Id == annotationId && a.ItemId == itemId && a.Status == AnnotationStatus.Submitted, ct)
            ?? throw ServiceException.NotFound($"annotation {annotationId} is not a submitted annotation of item {itemId}");
        var now = time.GetUtcNow();
        annotation.Status = AnnotationStatus.Draft;
        annotation.ReviewComment = comment.Trim();
        annotation.UpdatedAt = now;
        annotation.IdempotencyKey = null;
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.ItemId == itemId && a.UserId == annotation.UserId, ct);
        if (assignment is not null)
        {
            assignment.State = AssignmentState.Leased;
            assignment.LeasedAt = now;
            // Long enough for the annotator to come back to it; the queue serves their held item first.
            assignment.ExpiresAt = now.AddDays(7);
        }

        await db.SaveChangesAsync(ct);
        var wasComplete = await db.Items.Where(i => i.Id == itemId).Select(i => i.SubmittedCount).SingleAsync(ct) >= project.Overlap;
        await db.Items.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.SubmittedCount, i => i.SubmittedCount - 1), ct);
        var schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        var finalDelta = await ItemFinality.RefreshAsync(db, projectId, project.Overlap, ItemFinality.RuleOf(project.AgreementRule), schema, [itemId], ct);
        await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.SubmittedCount, p => p.SubmittedCount - 1)
            .SetProperty(p => p.CompleteCount, p => p.CompleteCount - (wasComplete ? 1 : 0))
            .SetProperty(p => p.FinalCount, p => p.FinalCount + finalDelta), ct);
        await audit.AppendAsync(db, "annotation.sent-back", caller, projectId, "annotation", annotationId.ToString(CultureInfo.InvariantCulture),
            before: new { status = "submitted", result = JsonNode.Parse(annotation.ResultJson) }, after: new { status = "draft" }, reason: comment, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static string Preview(LabelSchema schema, JsonObject data)
    {
        foreach (var key in schema.DataKeys())
        {
            if (data[key] is JsonValue v && v.TryGetValue<string>(out var s))
            {
                return s.Length > 140 ? s[..139] + "…" : s;
            }
        }

        return data.ToJsonString() is { Length: > 140 } json ? json[..139] + "…" : data.ToJsonString();
    }
}
