using LabelBench.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>The outcome of checking the audit chain.</summary>
public sealed record AuditVerification(bool Ok, long Events, long? ProjectEvents, long? BrokenSequence, string? Problem);

/// <summary>Reading and verifying the audit trail.</summary>
public sealed class AuditService(IDbContextFactory<LabelBenchDbContext> dbFactory)
{
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
