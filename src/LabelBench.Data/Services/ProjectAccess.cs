using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>The one place that decides what a caller may do in a project (defence in depth behind the UI and API).</summary>
public static class ProjectAccess
{
    /// <summary>The caller's roles in a project; admins hold every role. Throws NotFound when the project is not visible.</summary>
    public static async Task<IReadOnlySet<ProjectRole>> RolesAsync(LabelBenchDbContext db, Caller caller, long projectId, CancellationToken ct)
    {
        var exists = await db.Projects.AnyAsync(p => p.Id == projectId, ct);
        if (!exists)
        {
            throw NotFound(projectId);
        }

        if (caller.IsAdmin)
        {
            return new HashSet<ProjectRole> { ProjectRole.Annotator, ProjectRole.Reviewer, ProjectRole.Lead };
        }

        var roles = await db.ProjectMembers.Where(m => m.ProjectId == projectId && m.UserId == caller.UserId).Select(m => m.Role).ToListAsync(ct);
        if (roles.Count == 0)
        {
            // Non-members cannot tell a private project from a missing one.
            throw NotFound(projectId);
        }

        return roles.ToHashSet();
    }

    /// <summary>Requires any one of <paramref name="allowed"/>; Forbidden for a member without it.</summary>
    public static async Task<IReadOnlySet<ProjectRole>> RequireAsync(LabelBenchDbContext db, Caller caller, long projectId, CancellationToken ct, params ProjectRole[] allowed)
    {
        var roles = await RolesAsync(db, caller, projectId, ct);
        if (allowed.Length > 0 && !allowed.Any(roles.Contains))
        {
            var names = string.Join(" or ", allowed.Select(r => r.ToString().ToLowerInvariant()));
            throw ServiceException.Forbidden($"this needs the {names} role in project {projectId}");
        }

        return roles;
    }

    /// <summary>Leads and reviewers see every item data key and unmasked text; annotators see what the project's privacy settings leave.</summary>
    public static bool SeesPrivateData(IReadOnlySet<ProjectRole> roles) => roles.Contains(ProjectRole.Lead) || roles.Contains(ProjectRole.Reviewer);

    /// <summary>Settings, schema and members are changed by the project's leads (and admins, who hold every role).</summary>
    public static Task<IReadOnlySet<ProjectRole>> RequireLeadAsync(LabelBenchDbContext db, Caller caller, long projectId, CancellationToken ct) =>
        RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);

    public static ServiceException NotFound(long projectId) => ServiceException.NotFound($"project {projectId} does not exist or you are not a member");
}
