using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using static LabelBench.Data.Tests.Queue.WorkspaceQueueHost;

namespace LabelBench.Data.Tests.Queue;

/// <summary>Drafts live in the database: a refresh, a second tab or a killed and restarted server brings them back.</summary>
public abstract class DraftSurvivalTests
{
    private const string SpansSchema = """
        {"fields": [{"name": "entities", "kind": "spans", "source": "text", "labels": [{"value": "PER", "hotkey": "p"}, {"value": "LOC", "hotkey": "l"}]}]}
        """;

    protected abstract QueueDatabase Database { get; }

    [SkippableFact]
    public async Task A_draft_autosaved_before_the_server_is_killed_comes_back_after_the_restart()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@d.test", "ann@d.test");
        var jsonl = """{"id": "emoji", "data": {"text": "Zoë 👩‍🔬 met Ana in Kraków"}}""";
        var (project, items) = await host.CreateProjectAsync(users[0], [users[1]], items: 1, schema: SpansSchema, jsonl: jsonl);
        var ann = users[1];
        var first = await host.Queue.NextAsync(ann, project);
        Assert.NotNull(first);
        var draft = JsonNode.Parse("""{"entities": [{"start": 0, "end": 3, "label": "PER"}, {"start": 11, "end": 14, "label": "PER"}]}""")!.AsObject();
        await host.Queue.SaveDraftAsync(ann, project, first.ItemId, draft, 4200);

        await host.RestartAsync();

        var again = await host.Queue.NextAsync(ann, project);
        Assert.NotNull(again);
        Assert.Equal(first.ItemId, again.ItemId);
        Assert.True(JsonNode.DeepEquals(draft, again.Draft), again.Draft?.ToJsonString());
        Assert.Equal(4200, again.DraftTimeSpentMs);

        // The restored draft submits like any other and is then no longer a draft.
        var stored = await host.Queue.SubmitAsync(ann, project, again.ItemId, again.Draft, again.DraftTimeSpentMs + 800, "after-restart");
        Assert.True(stored.Created);
        await using var db = await host.ContextAsync();
        var annotation = await db.Annotations.SingleAsync(a => a.ItemId == items[0]);
        Assert.Equal((AnnotationStatus.Submitted, 5000L), (annotation.Status, annotation.TimeSpentMs));
    }

    [SkippableFact]
    public async Task A_second_tab_and_a_refresh_get_the_same_item_with_the_latest_draft()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@d.test", "ann@d.test");
        var (project, _) = await host.CreateProjectAsync(users[0], [users[1]], items: 3);
        var ann = users[1];
        var tab1 = await host.Queue.NextAsync(ann, project);
        await host.Queue.SaveDraftAsync(ann, project, tab1!.ItemId, Label("positive"), 100);
        await host.Queue.SaveDraftAsync(ann, project, tab1.ItemId, Label("negative"), 900);

        var tab2 = await host.Queue.NextAsync(ann, project);

        Assert.Equal(tab1.ItemId, tab2!.ItemId);
        Assert.Equal("negative", tab2.Draft!["sentiment"]!.GetValue<string>());
        Assert.Equal(900, tab2.DraftTimeSpentMs);
    }

    [SkippableFact]
    public async Task A_draft_never_overwrites_a_submission()
    {
        await using var host = await StartAsync(Database);
        var users = await host.AddUsersAsync("lead@d.test", "ann@d.test");
        var (project, _) = await host.CreateProjectAsync(users[0], [users[1]], items: 1);
        var ann = users[1];
        var next = await host.Queue.NextAsync(ann, project);
        await host.Queue.SubmitAsync(ann, project, next!.ItemId, Label("positive"), 100, "k");

        // A late autosave from a tab that had not heard of the submit yet.
        var late = await Assert.ThrowsAsync<LabelBench.Data.Services.ServiceException>(() => host.Queue.SaveDraftAsync(ann, project, next.ItemId, Label("negative"), 200));

        Assert.Equal(LabelBench.Data.Services.ServiceErrorKind.Conflict, late.Kind);
        Assert.Equal("positive", (await host.Queue.SubmittedAsync(ann, project, next.ItemId)).Result["sentiment"]!.GetValue<string>());
    }
}

public sealed class DraftSurvivalSqliteTests : DraftSurvivalTests
{
    protected override QueueDatabase Database => QueueDatabase.Sqlite;
}

public sealed class DraftSurvivalPostgresTests : DraftSurvivalTests
{
    protected override QueueDatabase Database => QueueDatabase.Postgres;
}
