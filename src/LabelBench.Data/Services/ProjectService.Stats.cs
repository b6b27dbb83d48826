using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>Annotations submitted on one day (UTC).</summary>
public sealed record DailyCount(DateOnly Day, long Count);

/// <summary>One member's work in a project.</summary>
/// <param name="MedianTimeMs">Median time spent per submitted item, null before the first submit.</param>
public sealed record MemberProgress(string UserId, string Email, IReadOnlyList<string> Roles, long Submitted, long Skipped, long Drafts, double? MedianTimeMs);

/// <summary>Where a project stands: counters, throughput per day, time per item and, for leads and reviewers, each member's work.</summary>
public sealed record ProjectStats(
    long Items,
    long Complete,
    long InReview,
    long Final,
    long Submitted,
    double? MedianTimeMs,
    IReadOnlyList<DailyCount> Throughput,
    IReadOnlyList<MemberProgress>? Members);

public sealed partial class ProjectService
{
    public const int DefaultThroughputDays = 14;

    /// <summary>
    /// Progress from the project's counters; throughput, medians and per-member counts from index ranges (the
    /// annotation indexes start with the project, the status and the annotator), so they stay fast at a million items.
    /// Members' figures are shown to leads and reviewers only.
    /// </summary>
    public async Task<ProjectStats> StatsAsync(Caller caller, long projectId, int days = DefaultThroughputDays, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await ProjectAccess.RolesAsync(db, caller, projectId, ct);
        var p = await db.Projects.AsNoTracking().Where(x => x.Id == projectId)
            .Select(x => new { x.ItemCount, x.CompleteCount, x.FinalCount, x.SubmittedCount }).SingleAsync(ct);
        var throughput = await ThroughputAsync(db, projectId, days, ct);
        var median = await MedianTimeAsync(db.Annotations.Where(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted), ct);
        var members = roles.Contains(ProjectRole.Lead) || roles.Contains(ProjectRole.Reviewer) ? await MemberProgressAsync(db, projectId, ct) : null;
        return new ProjectStats(p.ItemCount, p.CompleteCount, Math.Max(0, p.CompleteCount - p.FinalCount), p.FinalCount, p.SubmittedCount, median, throughput, members);
    }

    /// <summary>Submitted annotations per day over the last <paramref name="days"/> days (UTC), oldest first; any member may see it.</summary>
    public async Task<IReadOnlyList<DailyCount>> ThroughputAsync(Caller caller, long projectId, int days = DefaultThroughputDays, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RolesAsync(db, caller, projectId, ct);
        return await ThroughputAsync(db, projectId, days, ct);
    }

    private async Task<IReadOnlyList<DailyCount>> ThroughputAsync(LabelBenchDbContext db, long projectId, int days, CancellationToken ct)
    {
        days = Math.Clamp(days, 1, 366);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var counts = new List<DailyCount>(days);
        for (var d = days - 1; d >= 0; d--)
        {
            // One range count per day: SQLite stores times as sortable integers it cannot group by date.
            var day = today.AddDays(-d);
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = start.AddDays(1);
            var n = await db.Annotations.LongCountAsync(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted
                && a.SubmittedAt >= start && a.SubmittedAt < end, ct);
            counts.Add(new DailyCount(day, n));
        }

        return counts;
    }

    private static async Task<List<MemberProgress>> MemberProgressAsync(LabelBenchDbContext db, long projectId, CancellationToken ct)
    {
        var members = await db.ProjectMembers.AsNoTracking().Where(m => m.ProjectId == projectId)
            .Select(m => new { m.UserId, m.User!.Email, m.Role }).ToListAsync(ct);
        var progress = new List<MemberProgress>();
        foreach (var member in members.GroupBy(m => m.UserId))
        {
            var userId = member.Key;
            var mine = db.Annotations.Where(a => a.ProjectId == projectId && a.UserId == userId);
            var byStatus = await mine.GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct);
            long Count(AnnotationStatus s) => byStatus.Where(b => b.Key == s).Sum(b => b.Count);
            progress.Add(new MemberProgress(
                userId,
                member.First().Email ?? userId,
                RoleList(member.Select(m => m.Role)),
                Count(AnnotationStatus.Submitted),
                Count(AnnotationStatus.Skipped),
                Count(AnnotationStatus.Draft),
                await MedianTimeAsync(mine.Where(a => a.Status == AnnotationStatus.Submitted), ct)));
        }

        return progress.OrderByDescending(m => m.Submitted).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The median of TimeSpentMs: the middle one or two rows of the ordered index range.</summary>
    private static async Task<double?> MedianTimeAsync(IQueryable<Annotation> submitted, CancellationToken ct)
    {
        var n = await submitted.CountAsync(ct);
        if (n == 0)
        {
            return null;
        }

        var middle = await submitted.OrderBy(a => a.TimeSpentMs).Select(a => a.TimeSpentMs).Skip((n - 1) / 2).Take(2 - (n % 2)).ToListAsync(ct);
        return middle.Count == 0 ? null : middle.Average();
    }
}
