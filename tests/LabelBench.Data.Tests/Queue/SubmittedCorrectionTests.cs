using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using static LabelBench.Data.Tests.Queue.WorkspaceQueueHost;

namespace LabelBench.Data.Tests.Queue;

/// <summary>The workspace's history: an annotator looks back at their submissions and corrects them until a reviewer decides.</summary>
public abstract class SubmittedCorrectionTests
{
    protected abstract QueueDatabase Database { get; }

    [SkippableFact]
    public async Task A_submission_is_corrected_and_the_audit_trail_keeps_before_and_after()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@c.test", "ann@c.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1]], items: 2);
        var ann = users[1];
        var outcome = await host.Queue.SubmitAsync(ann, project, items[0], Label("positive"), 1200, "k1");

        var id = await host.Queue.EditSubmittedAsync(ann, project, items[0], Label("negative"), extraTimeMs: 300);

        Assert.Equal(outcome.AnnotationId, id);
        var mine = await host.Queue.SubmittedAsync(ann, project, items[0]);
        Assert.Equal("negative", mine.Result["sentiment"]!.GetValue<string>());
        Assert.Equal(1500, mine.TimeSpentMs);
        Assert.False(mine.Adjudicated);
        await using var db = await host.ContextAsync();
        var corrected = await db.AuditEvents.SingleAsync(e => e.Action == "annotation.corrected");
        Assert.Equal(ann.UserId, corrected.ActorId);
        Assert.Equal("positive", JsonNode.Parse(corrected.BeforeJson!)!["result"]!["sentiment"]!.GetValue<string>());
        Assert.Equal("negative", JsonNode.Parse(corrected.AfterJson!)!["result"]!["sentiment"]!.GetValue<string>());
        Assert.True((await host.Get<AuditService>().VerifyAsync(Caller.System, project)).Ok);
        // Still one annotation, still one submission counted.
        Assert.Equal(1, await db.Annotations.CountAsync(a => a.ItemId == items[0]));
        Assert.Equal(1, await db.Projects.Where(p => p.Id == project).Select(p => p.SubmittedCount).SingleAsync());
    }

    [SkippableFact]
    public async Task A_correction_after_adjudication_is_refused_with_conflict_and_changes_nothing()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@c.test", "ann@c.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1]], items: 1);
        var ann = users[1];
        var outcome = await host.Queue.SubmitAsync(ann, project, items[0], Label("positive"), 1200, "k1");
        await using (var db = await host.ContextAsync())
        {
            db.Adjudications.Add(new Adjudication
            {
                ProjectId = project,
                ItemId = items[0],
                ReviewerId = users[0].UserId,
                Kind = AdjudicationKind.Accept,
                AcceptedAnnotationId = outcome.AnnotationId,
                ResultJson = Label("positive").ToJsonString(),
                SchemaVersion = 1,
                CreatedAt = host.Clock.GetUtcNow(),
                Version = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<ServiceException>(() => host.Queue.EditSubmittedAsync(ann, project, items[0], Label("negative")));

        Assert.Equal(ServiceErrorKind.Conflict, refused.Kind);
        Assert.Contains("adjudicated", refused.Message, StringComparison.Ordinal);
        var mine = await host.Queue.SubmittedAsync(ann, project, items[0]);
        Assert.True(mine.Adjudicated);
        Assert.Equal("positive", mine.Result["sentiment"]!.GetValue<string>());
        Assert.True((await host.Queue.HistoryAsync(ann, project)).Single().Adjudicated);
        await using var check = await host.ContextAsync();
        Assert.False(await check.AuditEvents.AnyAsync(e => e.Action == "annotation.corrected"));
    }

    [SkippableFact]
    public async Task History_lists_the_callers_submissions_newest_first_without_drafts_or_skips()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@c.test", "ann@c.test", "other@c.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1], users[2]], items: 5, overlap: 2);
        var ann = users[1];
        foreach (var item in items.Take(3))
        {
            Assert.Equal(item, (await host.Queue.NextAsync(ann, project))!.ItemId);
            await host.Queue.SubmitAsync(ann, project, item, Label("neutral"), 10);
            host.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await host.Queue.NextAsync(ann, project);
        await host.Queue.SkipAsync(ann, project, items[3]);
        await host.Queue.NextAsync(ann, project);
        await host.Queue.SaveDraftAsync(ann, project, items[4], Label("positive"), 5);
        await host.Queue.SubmitAsync(users[2], project, items[0], Label("positive"), 10);

        var history = await host.Queue.HistoryAsync(ann, project);

        Assert.Equal([items[2], items[1], items[0]], history.Select(h => h.ItemId));
        Assert.Equal("t3", history[0].ExternalId);
        Assert.Equal("Text number 3", history[0].Preview);
        Assert.Single(await host.Queue.HistoryAsync(ann, project, take: 1));
        Assert.Equal(ServiceErrorKind.Invalid, (await Assert.ThrowsAsync<ServiceException>(() => host.Queue.HistoryAsync(ann, project, take: 0))).Kind);
    }

    [SkippableFact]
    public async Task Only_ones_own_valid_submission_can_be_corrected()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@c.test", "ann@c.test", "other@c.test", "outsider@c.test");
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1], users[2]], items: 1, overlap: 2);
        await host.Queue.SubmitAsync(users[1], project, items[0], Label("positive"), 10);

        Assert.Equal(ServiceErrorKind.NotFound, (await Assert.ThrowsAsync<ServiceException>(() => host.Queue.EditSubmittedAsync(users[2], project, items[0], Label("negative")))).Kind);
        Assert.Equal(ServiceErrorKind.NotFound, (await Assert.ThrowsAsync<ServiceException>(() => host.Queue.EditSubmittedAsync(users[3], project, items[0], Label("negative")))).Kind);
        var invalid = await Assert.ThrowsAsync<ServiceException>(() => host.Queue.EditSubmittedAsync(users[1], project, items[0], Label("furious")));
        Assert.Equal(ServiceErrorKind.Invalid, invalid.Kind);
        Assert.Equal("sentiment", Assert.Single(invalid.Errors).Path);
        Assert.Equal("positive", (await host.Queue.SubmittedAsync(users[1], project, items[0])).Result["sentiment"]!.GetValue<string>());
    }
}

public sealed class SubmittedCorrectionSqliteTests : SubmittedCorrectionTests
{
    protected override QueueDatabase Database => QueueDatabase.Sqlite;
}

public sealed class SubmittedCorrectionPostgresTests : SubmittedCorrectionTests
{
    protected override QueueDatabase Database => QueueDatabase.Postgres;
}
