using System.Collections.Concurrent;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using static LabelBench.Data.Tests.Queue.WorkspaceQueueHost;

namespace LabelBench.Data.Tests.Queue;

/// <summary>Dynamic overlap: annotators who disagree bring one more annotator in, up to the project's maximum.</summary>
public abstract class DynamicOverlapTests
{
    protected abstract QueueDatabase Database { get; }

    [SkippableFact]
    public async Task Disagreement_opens_the_item_for_one_more_annotator_up_to_the_maximum()
    {
        await using var host = await StartAsync(Database);
        var (lead, a, b, c, d) = Five(await host.AddUsersAsync("lead@q.test", "a@q.test", "b@q.test", "c@q.test", "d@q.test"));
        var (project, items) = await host.CreateProjectAsync(lead, [a, b, c, d], items: 1, overlap: 2, maxOverlap: 3);
        var item = items[0];

        await SubmitNextAsync(host, a, project, "positive");
        await SubmitNextAsync(host, b, project, "negative");
        var opened = await ItemAsync(host, item);
        Assert.Equal((2, 2, 1, true), (opened.AssignedCount, opened.SubmittedCount, opened.ExtraOverlap, opened.Open));
        Assert.Equal(0, await CompleteCountAsync(host, project));

        Assert.Equal(item, (await host.Queue.NextAsync(c, project))!.ItemId);
        await host.Queue.SubmitAsync(c, project, item, Label("neutral"), 10);
        // Three annotators, three answers, but the maximum is three: the item goes to review, not to a fourth person.
        Assert.Null(await host.Queue.NextAsync(d, project));
        var done = await ItemAsync(host, item);
        Assert.Equal((3, 3, 1, false), (done.AssignedCount, done.SubmittedCount, done.ExtraOverlap, done.Open));
        Assert.Equal(1, await CompleteCountAsync(host, project));

        await using var db = await host.ContextAsync();
        var extended = await db.AuditEvents.Where(e => e.Action == "item.overlap-extended").ToListAsync();
        Assert.Equal(item.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(extended).EntityId);
    }

    [SkippableFact]
    public async Task A_majority_after_the_extra_annotator_completes_the_item()
    {
        await using var host = await StartAsync(Database);
        var (lead, a, b, c, d) = Five(await host.AddUsersAsync("lead@q.test", "a@q.test", "b@q.test", "c@q.test", "d@q.test"));
        var (project, items) = await host.CreateProjectAsync(lead, [a, b, c, d], items: 1, overlap: 2, maxOverlap: 5);

        await SubmitNextAsync(host, a, project, "positive");
        await SubmitNextAsync(host, b, project, "negative");
        await SubmitNextAsync(host, c, project, "positive");

        Assert.Null(await host.Queue.NextAsync(d, project));
        var item = await ItemAsync(host, items[0]);
        Assert.Equal((3, 1, false), (item.SubmittedCount, item.ExtraOverlap, item.Open));
        Assert.Equal(1, await CompleteCountAsync(host, project));
    }

    [SkippableFact]
    public async Task Agreement_completes_the_item_without_extra_annotators()
    {
        await using var host = await StartAsync(Database);
        var (lead, a, b, c, _) = Five(await host.AddUsersAsync("lead@q.test", "a@q.test", "b@q.test", "c@q.test", "d@q.test"));
        var (project, items) = await host.CreateProjectAsync(lead, [a, b, c], items: 1, overlap: 2, maxOverlap: 4);

        await SubmitNextAsync(host, a, project, "neutral");
        await SubmitNextAsync(host, b, project, "neutral");

        Assert.Null(await host.Queue.NextAsync(c, project));
        Assert.Equal((0, false), ((await ItemAsync(host, items[0])).ExtraOverlap, (await ItemAsync(host, items[0])).Open));
        Assert.Equal(1, await CompleteCountAsync(host, project));
    }

    [SkippableFact]
    public async Task Without_a_maximum_disagreement_completes_the_item()
    {
        await using var host = await StartAsync(Database);
        var (lead, a, b, c, _) = Five(await host.AddUsersAsync("lead@q.test", "a@q.test", "b@q.test", "c@q.test", "d@q.test"));
        var (project, _) = await host.CreateProjectAsync(lead, [a, b, c], items: 1, overlap: 2);

        await SubmitNextAsync(host, a, project, "positive");
        await SubmitNextAsync(host, b, project, "negative");

        Assert.Null(await host.Queue.NextAsync(c, project));
        Assert.Equal(1, await CompleteCountAsync(host, project));
    }

    [SkippableFact]
    public async Task A_correction_that_breaks_agreement_reopens_a_completed_item()
    {
        await using var host = await StartAsync(Database);
        var (lead, a, b, c, _) = Five(await host.AddUsersAsync("lead@q.test", "a@q.test", "b@q.test", "c@q.test", "d@q.test"));
        var (project, items) = await host.CreateProjectAsync(lead, [a, b, c], items: 1, overlap: 2, maxOverlap: 3);
        await SubmitNextAsync(host, a, project, "positive");
        await SubmitNextAsync(host, b, project, "positive");
        Assert.Equal(1, await CompleteCountAsync(host, project));

        await host.Queue.EditSubmittedAsync(b, project, items[0], Label("negative"), 500);

        Assert.Equal(0, await CompleteCountAsync(host, project));
        Assert.Equal(items[0], (await host.Queue.NextAsync(c, project))!.ItemId);
        await host.Queue.SubmitAsync(c, project, items[0], Label("negative"), 10);
        Assert.Equal(1, await CompleteCountAsync(host, project));
    }

    [SkippableFact]
    public async Task Concurrent_annotators_fill_every_item_to_its_own_target_and_never_past_the_maximum()
    {
        const int ItemCount = 24;
        const int Overlap = 2;
        const int Max = 4;
        await using var host = await StartAsync(Database);
        var people = await host.AddUsersAsync([.. Enumerable.Range(0, 13).Select(i => $"p{i}@q.test")]);
        var (project, items) = await host.CreateProjectAsync(people[0], people[1..], ItemCount, Overlap, Max);
        string[] labels = ["positive", "negative", "neutral"];
        var refused = new ConcurrentBag<string>();

        async Task TabAsync(Caller who, int tab)
        {
            var idle = 0;
            for (var turn = 0; turn < ItemCount * 3; turn++)
            {
                var next = await host.Queue.NextAsync(who, project);
                if (next is null)
                {
                    // Nothing is open for this person right now, but a submit still in flight elsewhere may open one
                    // more place (dynamic overlap): like a person who refreshes, ask again until every item is done.
                    if (await CompleteCountAsync(host, project) == ItemCount)
                    {
                        return;
                    }

                    Assert.True(++idle < 400, $"tab {tab} of {who.UserId} waited 20 s for the last items to complete");
                    turn--;
                    await Task.Delay(50);
                    continue;
                }

                // Each person's answer is fixed per item, so "disagreement" does not depend on timing.
                var label = labels[(int)((uint)HashCode.Combine(who.UserId, next.ItemId) % 3)];
                try
                {
                    await host.Queue.SubmitAsync(who, project, next.ItemId, Label(label), 5, $"{who.UserId}-{next.ItemId}");
                }
                catch (ServiceException ex) when (ex.Kind == ServiceErrorKind.Conflict)
                {
                    refused.Add(ex.Message);
                }
            }

            Assert.Fail($"tab {tab} of {who.UserId} kept getting items");
        }

        await Task.WhenAll(people[1..].SelectMany(p => new[] { Task.Run(() => TabAsync(p, 0)), Task.Run(() => TabAsync(p, 1)) }));

        await using var db = await host.ContextAsync();
        var annotations = await db.Annotations.AsNoTracking().Where(x => x.ProjectId == project && x.Status == AnnotationStatus.Submitted)
            .Select(x => new { x.ItemId, x.UserId }).ToListAsync();
        Assert.Equal(annotations.Count, annotations.Distinct().Count());
        var rows = await db.Items.AsNoTracking().Where(i => i.ProjectId == project).ToListAsync();
        foreach (var row in rows)
        {
            var count = annotations.Count(x => x.ItemId == row.Id);
            Assert.True(row.ExtraOverlap is >= 0 and <= Max - Overlap, $"item {row.Id} opened {row.ExtraOverlap} extra places");
            Assert.Equal(Overlap + row.ExtraOverlap, count);
            Assert.Equal((count, count, false), (row.AssignedCount, row.SubmittedCount, row.Open));
        }

        Assert.Contains(rows, r => r.ExtraOverlap > 0);
        Assert.Equal(ItemCount, await CompleteCountAsync(host, project));
        Assert.False(await db.Assignments.AnyAsync(x => x.ProjectId == project && x.State == AssignmentState.Leased), "a lease was left behind");
    }

    private static (Caller, Caller, Caller, Caller, Caller) Five(Caller[] c) => (c[0], c[1], c[2], c[3], c[4]);

    private static async Task SubmitNextAsync(WorkspaceQueueHost host, Caller who, long project, string label)
    {
        var next = await host.Queue.NextAsync(who, project);
        Assert.NotNull(next);
        await host.Queue.SubmitAsync(who, project, next.ItemId, Label(label), 1000, Guid.NewGuid().ToString("N"));
    }

    private static async Task<Item> ItemAsync(WorkspaceQueueHost host, long id)
    {
        await using var db = await host.ContextAsync();
        return await db.Items.AsNoTracking().SingleAsync(i => i.Id == id);
    }

    private static async Task<long> CompleteCountAsync(WorkspaceQueueHost host, long project)
    {
        await using var db = await host.ContextAsync();
        return await db.Projects.Where(p => p.Id == project).Select(p => p.CompleteCount).SingleAsync();
    }
}

public sealed class DynamicOverlapSqliteTests : DynamicOverlapTests
{
    protected override QueueDatabase Database => QueueDatabase.Sqlite;
}

public sealed class DynamicOverlapPostgresTests : DynamicOverlapTests
{
    protected override QueueDatabase Database => QueueDatabase.Postgres;
}
