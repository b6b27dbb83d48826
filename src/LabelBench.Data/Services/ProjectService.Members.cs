using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

public sealed partial class ProjectService
{
    /// <summary>
    /// Sets the roles a person holds in the project (leads and admins); no roles removes them. A project keeps at
    /// least one lead. Dropping the annotator role hands the person's reserved items back to the queue.
    /// </summary>
    public async Task SetRolesAsync(Caller caller, long projectId, string userId, IReadOnlyCollection<ProjectRole> roles, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireLeadAsync(db, caller, projectId, ct);
        var wanted = roles.Where(Enum.IsDefined).ToHashSet();
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.ProjectMembers.Where(m => m.ProjectId == projectId && m.UserId == userId).ToListAsync(ct);
        if (email is null || (rows.Count == 0 && wanted.Count == 0))
        {
            throw ServiceException.NotFound($"user {userId} is not a member of project {projectId}");
        }

        var held = rows.Select(r => r.Role).ToHashSet();
        if (held.SetEquals(wanted))
        {
            return;
        }

        if (held.Contains(ProjectRole.Lead) && !wanted.Contains(ProjectRole.Lead)
            && !await db.ProjectMembers.AnyAsync(m => m.ProjectId == projectId && m.Role == ProjectRole.Lead && m.UserId != userId, ct))
        {
            throw ServiceException.Conflict($"{email} is the only lead of project {projectId}; make someone else lead first");
        }

        db.ProjectMembers.RemoveRange(rows.Where(r => !wanted.Contains(r.Role)));
        var now = time.GetUtcNow();
        foreach (var role in wanted.Where(r => !held.Contains(r)))
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = userId, Role = role, AddedAt = now });
        }

        if (held.Contains(ProjectRole.Annotator) && !wanted.Contains(ProjectRole.Annotator))
        {
            await ReleaseLeasesAsync(db, projectId, userId, ct);
        }

        await audit.AppendAsync(db, wanted.Count == 0 ? "member.removed" : "member.roles.changed", caller, projectId, "member", userId,
            before: new { email, roles = RoleList(held) }, after: new { email, roles = RoleList(wanted) }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Removes a person from the project (every role). Their submitted work stays.</summary>
    public Task RemoveMemberAsync(Caller caller, long projectId, string userId, CancellationToken ct = default) =>
        SetRolesAsync(caller, projectId, userId, [], ct);

    /// <summary>Frees the items a person holds a lease on, so other annotators get them.</summary>
    private static async Task ReleaseLeasesAsync(LabelBenchDbContext db, long projectId, string userId, CancellationToken ct)
    {
        var overlap = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Overlap).SingleAsync(ct);
        var leased = db.Assignments.Where(a => a.ProjectId == projectId && a.UserId == userId && a.State == AssignmentState.Leased);
        var itemIds = await leased.Select(a => a.ItemId).ToListAsync(ct);
        if (itemIds.Count == 0)
        {
            return;
        }

        await leased.ExecuteDeleteAsync(ct);
        foreach (var chunk in itemIds.Chunk(ItemFinality.BatchSize))
        {
            await db.Items.Where(i => chunk.Contains(i.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.AssignedCount, i => i.AssignedCount - 1)
                .SetProperty(i => i.Open, i => i.AssignedCount - 1 < overlap), ct);
        }
    }

    private static List<string> RoleList(IEnumerable<ProjectRole> roles) => roles.Order().Select(r => r.ToString().ToLowerInvariant()).ToList();
}
