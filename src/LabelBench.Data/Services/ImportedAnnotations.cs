using System.Security.Cryptography;
using System.Text;
using LabelBench.Core.Annotations;
using LabelBench.Core.Import;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>How many annotations and adjudications an import brought along with its items.</summary>
internal sealed class ImportTally
{
    public int Annotations;
    public int Adjudications;
}

/// <summary>
/// Recreates the submitted annotations (and adjudications) of a JSONL export when it is imported into a project.
/// </summary>
/// <remarks>
/// An export names annotators by pseudonym, and the people behind them may not exist on this server. Each exported
/// annotator becomes one placeholder user per project (user name <c>imported-&lt;project&gt;-&lt;hash&gt;</c>, display name
/// "&lt;pseudonym&gt; (imported)", no password and locked out, so nobody can sign in as it), added as an annotator member:
/// annotations stay distinct per annotator, so agreement and Dawid–Skene work on the imported project as on the original.
/// An adjudicated final result becomes an override adjudication by the importing user.
/// </remarks>
internal static class ImportedAnnotations
{
    public const string AdjudicationReason = "imported: adjudicated in the exported project";

    /// <summary>Why a record's annotations cannot be imported, or null when they can.</summary>
    public static string? Problem(LabelSchema schema, ImportRecord record)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < record.Annotations.Count; i++)
        {
            var annotation = record.Annotations[i];
            if (!seen.Add(annotation.Annotator))
            {
                return $"annotations[{i}]: annotator \"{annotation.Annotator}\" appears twice on this item";
            }

            var problems = AnnotationResultValidator.Validate(schema, annotation.Result, new ItemContext(record.Data));
            if (problems.Count > 0)
            {
                return $"annotations[{i}].result does not fit the project's schema: {string.Join("; ", problems)}";
            }
        }

        if (record.Adjudicated is { } final && AnnotationResultValidator.Validate(schema, final, new ItemContext(record.Data), requireComplete: false) is { Count: > 0 } wrong)
        {
            return $"final does not fit the project's schema: {string.Join("; ", wrong)}";
        }

        return null;
    }

    /// <summary>Adds the annotations, assignments and adjudications of freshly saved items (ids assigned); saved by the caller.</summary>
    public static async Task AddAsync(LabelBenchDbContext db, Caller caller, long projectId, List<(Item Item, ImportRecord Record)> items, ImportTally tally, DateTimeOffset now, CancellationToken ct)
    {
        if (items.All(i => i.Record.Annotations.Count == 0 && i.Record.Adjudicated is null))
        {
            return;
        }

        var version = await db.Projects.Where(p => p.Id == projectId).Select(p => p.CurrentSchemaVersion).SingleAsync(ct);
        var users = await UsersAsync(db, projectId, items.SelectMany(i => i.Record.Annotations).Select(a => a.Annotator).Distinct(StringComparer.Ordinal).ToList(), now, ct);
        foreach (var (item, record) in items)
        {
            foreach (var a in record.Annotations)
            {
                var at = a.SubmittedAt ?? now;
                db.Annotations.Add(new Annotation
                {
                    ProjectId = projectId,
                    ItemId = item.Id,
                    UserId = users[a.Annotator],
                    SchemaVersion = version,
                    Status = AnnotationStatus.Submitted,
                    ResultJson = a.Result.ToJsonString(),
                    TimeSpentMs = a.TimeSpentMs,
                    CreatedAt = at,
                    UpdatedAt = at,
                    SubmittedAt = at,
                });
                db.Assignments.Add(new Assignment { ProjectId = projectId, ItemId = item.Id, UserId = users[a.Annotator], State = AssignmentState.Submitted, LeasedAt = at, ExpiresAt = at });
                tally.Annotations++;
            }

            if (record.Adjudicated is { } final)
            {
                db.Adjudications.Add(new Adjudication
                {
                    ProjectId = projectId,
                    ItemId = item.Id,
                    ReviewerId = caller.UserId,
                    Kind = AdjudicationKind.Override,
                    ResultJson = final.ToJsonString(),
                    Reason = AdjudicationReason,
                    SchemaVersion = version,
                    CreatedAt = now,
                    Version = Guid.NewGuid(),
                });
                tally.Adjudications++;
            }
        }
    }

    /// <summary>The placeholder user of each exported annotator name, created (with an annotator membership) when new.</summary>
    private static async Task<Dictionary<string, string>> UsersAsync(LabelBenchDbContext db, long projectId, List<string> annotators, DateTimeOffset now, CancellationToken ct)
    {
        var byUserName = annotators.ToDictionary(a => UserName(projectId, a), a => a, StringComparer.Ordinal);
        var normalized = byUserName.Keys.Select(k => k.ToUpperInvariant()).ToList();
        var existing = await db.Users.AsNoTracking().Where(u => normalized.Contains(u.NormalizedUserName!))
            .Select(u => new { u.Id, u.UserName }).ToListAsync(ct);
        var ids = existing.ToDictionary(u => byUserName[u.UserName!], u => u.Id, StringComparer.Ordinal);
        var members = await db.ProjectMembers.AsNoTracking().Where(m => m.ProjectId == projectId && m.Role == ProjectRole.Annotator)
            .Select(m => m.UserId).ToListAsync(ct);
        foreach (var (userName, annotator) in byUserName)
        {
            if (!ids.TryGetValue(annotator, out var id))
            {
                var user = new ApplicationUser
                {
                    UserName = userName,
                    NormalizedUserName = userName.ToUpperInvariant(),
                    Email = $"{userName}@imported.labelbench.invalid",
                    NormalizedEmail = $"{userName}@imported.labelbench.invalid".ToUpperInvariant(),
                    DisplayName = $"{annotator} (imported)",
                    SecurityStamp = Guid.NewGuid().ToString("N"),
                    LockoutEnabled = true,
                    LockoutEnd = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    CreatedAt = now,
                };
                db.Users.Add(user);
                ids[annotator] = id = user.Id;
            }

            if (!members.Contains(id))
            {
                db.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = id, Role = ProjectRole.Annotator, AddedAt = now });
            }
        }

        return ids;
    }

    private static string UserName(long projectId, string annotator) =>
        $"imported-{projectId}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(annotator)), 0, 8)}";
}
