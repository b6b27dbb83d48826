using LabelBench.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>The outcome of checking the audit chain.</summary>
public sealed record AuditVerification(bool Ok, long Events, long? ProjectEvents, long? BrokenSequence, string? Problem);

/// <summary>Which audit events to list.</summary>
public sealed record AuditFilter(string? Action = null, string? ActorId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 1, int PageSize = 100);

/// <summary>An audit event as an auditor reads it.</summary>
public sealed record AuditEventView(long Sequence, DateTimeOffset At, string? ActorId, string Actor, string Action, string? EntityType, string? EntityId, string? Before, string? After, string? Reason, string Hash);

public sealed record AuditPage(int Page, int PageSize, long Total, IReadOnlyList<AuditEventView> Events, IReadOnlyList<string> Actions);

/// <summary>Reading, exporting and verifying the audit trail.</summary>
public sealed class AuditService(IDbContextFactory<LabelBenchDbContext> dbFactory)
{
    /// <summary>A project's events, newest first, for leads and reviewers.</summary>
    public async Task<AuditPage> ListAsync(Caller caller, long projectId, AuditFilter filter, CancellationToken ct = default)
    {
        if (filter.Page < 1 || filter.PageSize is < 1 or > 1000)
        {
            throw ServiceException.Invalid("page starts at 1 and pageSize is 1..1000");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, Entities.ProjectRole.Lead, Entities.ProjectRole.Reviewer);
        var query = Filtered(db, projectId, filter);
        var total = await query.LongCountAsync(ct);
        var rows = await query.OrderByDescending(e => e.Sequence).Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize).ToListAsync(ct);
        var names = await NamesAsync(db, rows.Select(r => r.ActorId), ct);
        var actions = await db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == projectId).Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        return new AuditPage(filter.Page, filter.PageSize, total, rows.Select(r => View(r, names)).ToList(), actions);
    }

    /// <summary>Streams a project's filtered events, oldest first, for an auditor's export.</summary>
    public async IAsyncEnumerable<AuditEventView> ExportAsync(Caller caller, long projectId, AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, Entities.ProjectRole.Lead, Entities.ProjectRole.Reviewer);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var e in Filtered(db, projectId, filter).OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.ActorId is { } actor && !names.ContainsKey(actor))
            {
                await using var lookup = await dbFactory.CreateDbContextAsync(ct);
                names[actor] = await lookup.Users.AsNoTracking().Where(u => u.Id == actor).Select(u => u.Email).SingleOrDefaultAsync(ct) ?? actor;
            }

            yield return View(e, names);
        }
    }

    private static IQueryable<Entities.AuditEvent> Filtered(LabelBenchDbContext db, long projectId, AuditFilter filter)
    {
        var query = db.AuditEvents.AsNoTracking().Where(e => e.ProjectId == projectId);
        if (!string.IsNullOrEmpty(filter.Action))
        {
            query = query.Where(e => e.Action == filter.Action);
        }

        if (!string.IsNullOrEmpty(filter.ActorId))
        {
            query = query.Where(e => e.ActorId == filter.ActorId);
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        return query;
    }

    private static async Task<Dictionary<string, string>> NamesAsync(LabelBenchDbContext db, IEnumerable<string?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, ct);
    }

    private static AuditEventView View(Entities.AuditEvent e, IReadOnlyDictionary<string, string> names) =>
        new(e.Sequence, e.At, e.ActorId, e.ActorId is null ? "system" : names.GetValueOrDefault(e.ActorId, e.ActorId), e.Action, e.EntityType, e.EntityId, e.BeforeJson, e.AfterJson, e.Reason, e.Hash);

    /// <summary>Walks the whole chain in order (streamed) and names the first event that does not verify.</summary>
    public async Task<AuditVerification> VerifyAsync(Caller caller, long? projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (projectId is { } pid)
        {
            await ProjectAccess.RequireAsync(db, caller, pid, ct, Entities.ProjectRole.Lead, Entities.ProjectRole.Reviewer);
        }
        else if (!caller.IsAdmin)
        {
            throw ServiceException.Forbidden("only an admin can verify the whole audit trail");
        }

        long count = 0;
        long projectCount = 0;
        var verifier = new AuditChainVerifier();
        AuditBreak? broken = null;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (projectId is not null && e.ProjectId == projectId)
            {
                projectCount++;
            }

            broken ??= verifier.Next(AuditLog.ToEntry(e), e.PreviousHash, e.Hash);
        }

        if (broken is null)
        {
            var head = await db.AuditHeads.AsNoTracking().FirstOrDefaultAsync(h => h.Id == AuditLog.HeadId, ct);
            if (head is null ? count > 0 : head.Sequence != verifier.LastSequence || head.Hash != verifier.LastHash)
            {
                var at = head?.Sequence ?? verifier.LastSequence;
                broken = new AuditBreak(at, $"the chain ends at event {verifier.LastSequence}, but event {at} was the newest written: events were deleted from the end");
            }
        }

        return new AuditVerification(broken is null, count, projectId is null ? null : projectCount, broken?.Sequence, broken?.Problem);
    }
}
