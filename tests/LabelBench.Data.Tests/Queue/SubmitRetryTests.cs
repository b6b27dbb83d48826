using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using static LabelBench.Data.Tests.Queue.WorkspaceQueueHost;

namespace LabelBench.Data.Tests.Queue;

/// <summary>A submit retried after a dropped connection (same client key) is stored once, never twice, never lost.</summary>
public abstract class SubmitRetryTests
{
    protected abstract QueueDatabase Database { get; }

    [SkippableFact]
    public async Task A_submit_retried_with_the_same_key_returns_the_first_and_stores_once()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@r.test", "ann@r.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1]], items: 2);
        var ann = users[1];
        var next = await host.Queue.NextAsync(ann, project);

        var first = await host.Queue.SubmitAsync(ann, project, next!.ItemId, Label("positive"), 700, "client-key-1");
        var retry = await host.Queue.SubmitAsync(ann, project, next.ItemId, Label("positive"), 700, "client-key-1");

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.AnnotationId, retry.AnnotationId);
        await AssertStoredOnceAsync(host, project, items[0]);
        // The queue moved on: the submitted item is not handed out again.
        Assert.Equal(items[1], (await host.Queue.NextAsync(ann, project))!.ItemId);
    }

    [SkippableFact]
    public async Task Retries_racing_the_first_submit_store_it_once()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@r.test", "ann@r.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1]], items: 1);
        var ann = users[1];
        var next = await host.Queue.NextAsync(ann, project);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => host.Queue.SubmitAsync(ann, project, next!.ItemId, Label("negative"), 300, "same-key"))));

        Assert.Single(outcomes, o => o.Created);
        Assert.Single(outcomes.Select(o => o.AnnotationId).Distinct());
        await AssertStoredOnceAsync(host, project, items[0]);
    }

    [SkippableFact]
    public async Task A_retry_after_the_server_restarted_is_recognised()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@r.test", "ann@r.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1]], items: 1);
        var ann = users[1];
        var next = await host.Queue.NextAsync(ann, project);
        var first = await host.Queue.SubmitAsync(ann, project, next!.ItemId, Label("neutral"), 300, "before-the-crash");

        await host.RestartAsync();
        var retry = await host.Queue.SubmitAsync(ann, project, next.ItemId, Label("neutral"), 300, "before-the-crash");

        Assert.Equal((first.AnnotationId, false), (retry.AnnotationId, retry.Created));
        await AssertStoredOnceAsync(host, project, items[0]);
    }

    [SkippableFact]
    public async Task A_second_submission_under_another_key_is_a_conflict()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@r.test", "ann@r.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1]], items: 1);
        var ann = users[1];
        await host.Queue.SubmitAsync(ann, project, items[0], Label("neutral"), 300, "one");

        var second = await Assert.ThrowsAsync<ServiceException>(() => host.Queue.SubmitAsync(ann, project, items[0], Label("positive"), 300, "two"));

        Assert.Equal(ServiceErrorKind.Conflict, second.Kind);
        await AssertStoredOnceAsync(host, project, items[0]);
    }

    private static async Task AssertStoredOnceAsync(WorkspaceQueueHost host, long project, long item)
    {
        await using var db = await host.ContextAsync();
        Assert.Equal(1, await db.Annotations.CountAsync(a => a.ItemId == item && a.Status == AnnotationStatus.Submitted));
        var row = await db.Items.AsNoTracking().SingleAsync(i => i.Id == item);
        Assert.Equal((1, 1), (row.AssignedCount, row.SubmittedCount));
        Assert.Equal(1, await db.Projects.Where(p => p.Id == project).Select(p => p.SubmittedCount).SingleAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "annotation.submitted" && e.ProjectId == project));
    }
}

public sealed class SubmitRetrySqliteTests : SubmitRetryTests
{
    protected override QueueDatabase Database => QueueDatabase.Sqlite;
}

public sealed class SubmitRetryPostgresTests : SubmitRetryTests
{
    protected override QueueDatabase Database => QueueDatabase.Postgres;
}
