using System.Collections.Concurrent;
using System.Diagnostics;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Services;

/// <summary>Many people, each with several tabs open, working the same queue at once: the database must settle every race.</summary>
public abstract class QueueConcurrencyTests : DatabaseTests
{
    private const int ItemCount = 60;
    private const int Overlap = 3;
    private const int AnnotatorCount = 50;
    private const int TabsPerAnnotator = 3;

    [SkippableFact]
    public async Task Fifty_annotators_in_several_tabs_label_every_item_exactly_overlap_times()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projectId = await Db.CreateSentimentProjectAsync(lead, Overlap);
        var items = await Db.ImportReviewsAsync(lead, projectId, ItemCount);
        var annotators = await AddAnnotatorsDirectlyAsync(projectId, AnnotatorCount);
        var queue = Db.Get<QueueService>();
        var conflicts = new ConcurrentBag<(long ItemId, string UserId, string Message)>();
        var handedOut = new ConcurrentBag<(long ItemId, string UserId)>();

        async Task TabAsync(Caller annotator, int tab)
        {
            string[] labels = ["positive", "negative", "neutral"];
            for (var turn = 0; ; turn++)
            {
                Assert.True(turn < ItemCount * 2, $"tab {tab} of {annotator.UserId} kept getting items");
                var next = await queue.NextAsync(annotator, projectId);
                if (next is null)
                {
                    return;
                }

                handedOut.Add((next.ItemId, annotator.UserId));
                try
                {
                    await queue.SubmitAsync(annotator, projectId, next.ItemId, TestData.Label(labels[(tab + turn) % 3]), 100 + turn);
                }
                catch (ServiceException ex) when (ex.Kind == ServiceErrorKind.Conflict)
                {
                    // Another tab of the same person submitted this item first; the check below makes sure of that.
                    conflicts.Add((next.ItemId, annotator.UserId, ex.Message));
                }
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(annotators.SelectMany(a => Enumerable.Range(0, TabsPerAnnotator).Select(tab => Task.Run(() => TabAsync(a, tab)))));
        clock.Stop();

        await using var ctx = await Db.ContextAsync();
        var submitted = await ctx.Annotations.AsNoTracking().Where(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted)
            .Select(a => new { a.ItemId, a.UserId }).ToListAsync();
        Assert.Equal(ItemCount * Overlap, submitted.Count);
        Assert.Equal(submitted.Count, submitted.Distinct().Count());
        foreach (var item in items)
        {
            var users = submitted.Where(a => a.ItemId == item).Select(a => a.UserId).ToList();
            Assert.True(users.Count == Overlap && users.Distinct().Count() == Overlap, $"item {item} has {users.Count} annotations from {users.Distinct().Count()} people");
        }

        // Nothing lost: every refused submit was a second tab's, for an item its person had already submitted.
        var stored = submitted.Select(a => (a.ItemId, a.UserId)).ToHashSet();
        Assert.All(conflicts, c => Assert.True(stored.Contains((c.ItemId, c.UserId)), $"{c.UserId} was refused item {c.ItemId} ({c.Message}) and has no annotation for it"));
        Assert.All(handedOut, h => Assert.Contains((h.ItemId, h.UserId), stored));

        var counters = await ctx.Items.AsNoTracking().Where(i => i.ProjectId == projectId).Select(i => new { i.AssignedCount, i.SubmittedCount, i.Open }).ToListAsync();
        Assert.All(counters, c => Assert.Equal((Overlap, Overlap, false), (c.AssignedCount, c.SubmittedCount, c.Open)));
        Assert.False(await ctx.Assignments.AnyAsync(a => a.ProjectId == projectId && a.State == AssignmentState.Leased), "a lease was left behind");
        var summary = (await Db.Get<ProjectService>().GetAsync(lead, projectId)).Summary;
        Assert.Equal((ItemCount, ItemCount, ItemCount * Overlap), (summary.Items, summary.ItemsComplete, summary.Submitted));
        Assert.True((await Db.Get<AuditService>().VerifyAsync(Caller.System, null)).Ok, "the audit chain forked under concurrent submits");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed}");
    }

    /// <summary>Users and memberships written directly: Identity's password hashing would cost seconds for fifty people.</summary>
    private async Task<List<Caller>> AddAnnotatorsDirectlyAsync(long projectId, int count)
    {
        await using var ctx = await Db.ContextAsync();
        var now = Db.Time.GetUtcNow();
        var callers = new List<Caller>();
        for (var i = 1; i <= count; i++)
        {
            var email = $"crowd{i}@test.local";
            var user = new ApplicationUser { UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), CreatedAt = now };
            ctx.Users.Add(user);
            ctx.ProjectMembers.Add(new ProjectMember { ProjectId = projectId, UserId = user.Id, Role = ProjectRole.Annotator, AddedAt = now });
            callers.Add(new Caller(user.Id));
        }

        await ctx.SaveChangesAsync();
        return callers;
    }
}

public sealed class QueueConcurrencySqliteTests : QueueConcurrencyTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class QueueConcurrencyPostgresTests : QueueConcurrencyTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
