using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>An item as listed to leads and reviewers.</summary>
public sealed record ItemRow(long Id, string? ExternalId, JsonObject Data, string? Split, string Status, int Submitted, int Assigned, string? MediaType);

public sealed record ItemPage(int Page, int PageSize, long Total, IReadOnlyList<ItemRow> Items);

/// <summary>Browsing a project's items with their status.</summary>
public sealed class ItemService(IDbContextFactory<LabelBenchDbContext> dbFactory)
{
    public const int MaxPageSize = 500;

    public async Task<ItemPage> PageAsync(Caller caller, long projectId, int page, int pageSize, CancellationToken ct = default)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
        {
            throw ServiceException.Invalid($"page starts at 1 and pageSize is 1..{MaxPageSize}");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.ItemCount, p.Overlap }).SingleAsync(ct);
        var rows = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending).OrderBy(i => i.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(i => new
            {
                i.Id,
                i.ExternalId,
                i.DataJson,
                i.Split,
                i.SubmittedCount,
                i.AssignedCount,
                i.ExtraOverlap,
                i.MediaType,
                Adjudicated = db.Adjudications.Any(a => a.ItemId == i.Id),
            })
            .ToListAsync(ct);
        return new ItemPage(page, pageSize, project.ItemCount, rows.Select(r => new ItemRow(
            r.Id, r.ExternalId, QueueService.ParseObject(r.DataJson), r.Split,
            Status(r.Adjudicated, r.SubmittedCount, project.Overlap + r.ExtraOverlap, r.AssignedCount), r.SubmittedCount, r.AssignedCount, r.MediaType)).ToList());
    }

    private static string Status(bool adjudicated, int submitted, int overlap, int assigned) =>
        adjudicated ? "final"
        : submitted >= overlap ? "complete"
        : submitted > 0 ? "in-progress"
        : assigned > 0 ? "leased"
        : "new";
}
