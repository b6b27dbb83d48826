using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LabelBench.Core.Queue;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.Services;

/// <summary>What a lead gives to create a project.</summary>
public sealed record ProjectDraft(
    string Name,
    string SchemaJson,
    int Overlap = 1,
    string? Description = null,
    string? Guidelines = null,
    string QueueOrder = "sequential",
    bool Blind = true,
    bool ShowPredictions = true,
    int? MaxOverlap = null,
    int LeaseMinutes = LeasePolicy.DefaultMinutes);

/// <summary>A project as its members see it, with progress counts.</summary>
/// <param name="ItemsComplete">Items annotated to the overlap.</param>
/// <param name="ItemsInReview">Items annotated to the overlap without a final label yet (annotators disagree).</param>
/// <param name="ItemsFinal">Items with a final label: adjudicated, or agreed under the project's rule.</param>
public sealed record ProjectSummary(
    long Id,
    string Name,
    string? Description,
    int Overlap,
    string QueueOrder,
    bool Blind,
    bool ShowPredictions,
    int SchemaVersion,
    long Items,
    long ItemsComplete,
    long Submitted,
    IReadOnlyList<string> MyRoles,
    DateTimeOffset CreatedAt,
    long ItemsInReview = 0,
    long ItemsFinal = 0,
    DateTimeOffset? ArchivedAt = null,
    int? MaxOverlap = null,
    int LeaseMinutes = LeasePolicy.DefaultMinutes);

public sealed record ProjectDetails(ProjectSummary Summary, LabelSchema Schema, string SchemaJson, string? Guidelines, ProjectSettings Settings);

public sealed record MemberInfo(string UserId, string Email, IReadOnlyList<string> Roles);

/// <summary>
/// Creating, listing and reading projects; their settings, schema versions, members, progress, archive and delete
/// (one partial file per concern).
/// </summary>
public sealed partial class ProjectService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time, IOptions<LabelBenchOptions> options, ILogger<ProjectService> logger)
{
    public static readonly IReadOnlySet<string> QueueOrders = new HashSet<string>(StringComparer.Ordinal) { "sequential", "random", "uncertainty" };

    public async Task<long> CreateAsync(Caller caller, ProjectDraft draft, CancellationToken ct = default)
    {
        var problems = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(draft.Name))
        {
            problems.Add(new("name", "a project needs a name"));
        }
        else if (draft.Name.Length > 200)
        {
            problems.Add(new("name", "a project name has at most 200 characters"));
        }

        problems.AddRange(OverlapPolicy.Validate(draft.Overlap, draft.MaxOverlap));
        if (!LeasePolicy.IsValidMinutes(draft.LeaseMinutes))
        {
            problems.Add(new("leaseMinutes", $"leaseMinutes (how long a handed-out item stays reserved) must be between {LeasePolicy.MinMinutes} and {LeasePolicy.MaxMinutes}"));
        }

        if (!QueueOrders.Contains(draft.QueueOrder))
        {
            problems.Add(new("queueOrder", $"queue order must be one of {string.Join(", ", QueueOrders)}, not \"{draft.QueueOrder}\""));
        }

        var parsed = LabelSchemaJson.Parse(draft.SchemaJson);
        problems.AddRange(parsed.Errors.Select(e => e.Path.StartsWith("schema", StringComparison.Ordinal) ? e : e with { Path = $"schema.{e.Path}" }));
        if (problems.Count > 0 || parsed.Value is null)
        {
            throw ServiceException.Invalid(string.Join("; ", problems), problems);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var schemaJson = LabelSchemaJson.Serialize(parsed.Value);
        var project = new Project
        {
            Name = draft.Name.Trim(),
            Description = draft.Description,
            Overlap = draft.Overlap,
            MaxOverlap = draft.MaxOverlap is { } max && max > draft.Overlap ? max : null,
            LeaseMinutes = draft.LeaseMinutes,
            Guidelines = draft.Guidelines,
            QueueOrder = draft.QueueOrder,
            Blind = draft.Blind,
            ShowPredictions = draft.ShowPredictions,
            CurrentSchemaVersion = 1,
            PseudonymSalt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            CreatedAt = now,
            CreatedById = caller == Caller.System ? null : caller.UserId,
        };
        project.SchemaVersions.Add(new SchemaVersion { Version = 1, Json = schemaJson, CreatedAt = now, CreatedById = project.CreatedById });
        if (project.CreatedById is not null)
        {
            project.Members.Add(new ProjectMember { UserId = caller.UserId, Role = ProjectRole.Lead, AddedAt = now });
        }

        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, "project.created", caller, project.Id, "project", project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            after: new { project.Name, project.Overlap, project.MaxOverlap, project.LeaseMinutes, project.QueueOrder, project.Blind, schema = JsonNode.Parse(schemaJson) }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return project.Id;
    }

    public Task<IReadOnlyList<ProjectSummary>> ListAsync(Caller caller, CancellationToken ct = default) => ListAsync(caller, includeArchived: false, ct);

    /// <param name="includeArchived">Also list archived projects (the list page's "show archived").</param>
    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(Caller caller, bool includeArchived, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Projects.AsNoTracking().Where(p => includeArchived || p.ArchivedAt == null);
        if (!caller.IsAdmin)
        {
            query = query.Where(p => db.ProjectMembers.Any(m => m.ProjectId == p.Id && m.UserId == caller.UserId));
        }

        var projects = await query.OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(ct);
        var ids = projects.Select(p => p.Id).ToList();
        var roles = await db.ProjectMembers.AsNoTracking().Where(m => ids.Contains(m.ProjectId) && m.UserId == caller.UserId)
            .Select(m => new { m.ProjectId, m.Role }).ToListAsync(ct);
        return projects.Select(p => ToSummary(p, RoleNames(caller, roles.Where(r => r.ProjectId == p.Id).Select(r => r.Role)))).ToList();
    }

    public async Task<ProjectDetails> GetAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await ProjectAccess.RolesAsync(db, caller, projectId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schemaJson = await db.SchemaVersions.AsNoTracking()
            .Where(s => s.ProjectId == projectId && s.Version == project.CurrentSchemaVersion).Select(s => s.Json).SingleAsync(ct);
        var schema = LabelSchemaJson.Parse(schemaJson).Value ?? throw new InvalidOperationException($"Stored schema of project {projectId} is invalid.");
        return new ProjectDetails(ToSummary(project, RoleNames(caller, roles)), schema, schemaJson, project.Guidelines, SettingsOf(project));
    }

    public async Task AddMemberAsync(Caller caller, long projectId, string email, ProjectRole role, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);
        var normalized = (email ?? string.Empty).Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct)
            ?? throw ServiceException.Invalid($"email: no user has the address \"{email}\"; an admin creates users first", [new("email", $"no user has the address \"{email}\"")]);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var exists = await db.ProjectMembers.AnyAsync(m => m.ProjectId == projectId && m.UserId == user.Id && m.Role == role, ct);
        if (!exists)
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = user.Id, Role = role, AddedAt = time.GetUtcNow() });
            await audit.AppendAsync(db, "member.added", caller, projectId, "member", user.Id, after: new { email = user.Email, role = role.ToString().ToLowerInvariant() }, ct: ct);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>Adds a member by user id (the first start's demo projects, tests); same rules as by email.</summary>
    public async Task AddMemberByIdAsync(Caller caller, long projectId, string userId, ProjectRole role, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct)
            ?? throw ServiceException.NotFound($"user {userId} does not exist");
        await AddMemberAsync(caller, projectId, email, role, ct);
    }

    public async Task<IReadOnlyList<MemberInfo>> MembersAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var rows = await db.ProjectMembers.AsNoTracking().Where(m => m.ProjectId == projectId)
            .Select(m => new { m.UserId, m.User!.Email, m.Role }).ToListAsync(ct);
        return rows.GroupBy(r => r.UserId)
            .Select(g => new MemberInfo(g.Key, g.First().Email ?? g.Key, g.Select(r => r.Role.ToString().ToLowerInvariant()).Order().ToList()))
            .OrderBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static bool TryParseRole(string? value, out ProjectRole role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);

    private static List<string> RoleNames(Caller caller, IEnumerable<ProjectRole> roles)
    {
        var set = roles.ToHashSet();
        if (caller.IsAdmin)
        {
            set.UnionWith([ProjectRole.Annotator, ProjectRole.Reviewer, ProjectRole.Lead]);
        }

        return set.OrderBy(r => r).Select(r => r.ToString().ToLowerInvariant()).ToList();
    }

    private static ProjectSummary ToSummary(Project p, IReadOnlyList<string> roles) =>
        new(p.Id, p.Name, p.Description, p.Overlap, p.QueueOrder, p.Blind, p.ShowPredictions, p.CurrentSchemaVersion,
            p.ItemCount, p.CompleteCount, p.SubmittedCount, roles, p.CreatedAt,
            // Only complete items are adjudicated or agreed, so the rest of the complete ones wait for review.
            ItemsInReview: Math.Max(0, p.CompleteCount - p.FinalCount),
            ItemsFinal: p.FinalCount,
            ArchivedAt: p.ArchivedAt,
            MaxOverlap: p.MaxOverlap,
            LeaseMinutes: p.LeaseMinutes);

    private static List<string> RoleNames(Caller caller, IReadOnlySet<ProjectRole> roles) => RoleNames(caller, roles.AsEnumerable());
}
