using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Export;

/// <summary>A project with three reviews and five submitted annotations, for the snapshot tests.</summary>
internal static class SnapshotScenario
{
    public const string Schema = """
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "negative", "neutral"]}]}
        """;

    public static async Task<(Caller Lead, long Project)> SetUpAsync(TestDatabase db)
    {
        var lead = await db.CreateUserAsync("lead@example.org");
        var ann = await db.CreateUserAsync("ann@example.org");
        var bob = await db.CreateUserAsync("bob@example.org");
        var projects = db.Get<ProjectService>();
        var project = await projects.CreateAsync(lead, new ProjectDraft("Export test", Schema, 2));
        await db.AddMembersAsync(lead, project, ProjectRole.Annotator, ann, bob);
        await db.Get<ImportService>().ImportAsync(lead, project, [TestData.TextFile("items.jsonl", """
            {"id": "r1", "data": {"text": "Great"}, "split": "train"}
            {"id": "r2", "data": {"text": "Awful"}, "split": "test"}
            {"id": "r3", "data": {"text": "Meh"}}
            """)]);
        var items = await ItemIdsAsync(db, project);
        await SubmitAsync(db, ann, project, items[0], """{"sentiment": "positive"}""");
        await SubmitAsync(db, bob, project, items[0], """{"sentiment": "positive"}""");
        await SubmitAsync(db, ann, project, items[1], """{"sentiment": "negative"}""");
        await SubmitAsync(db, bob, project, items[1], """{"sentiment": "neutral"}""");
        await SubmitAsync(db, ann, project, items[2], """{"sentiment": "neutral"}""");
        return (lead, project);
    }

    public static async Task<List<long>> ItemIdsAsync(TestDatabase db, long project)
    {
        await using var ctx = await db.ContextAsync();
        return await ctx.Items.Where(i => i.ProjectId == project).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync();
    }

    public static Task SubmitAsync(TestDatabase db, Caller annotator, long project, long item, string result) =>
        db.Get<QueueService>().SubmitAsync(annotator, project, item, JsonNode.Parse(result), 1500);

    public static async Task<byte[]> DownloadAsync(ExportSnapshotService snapshots, Caller caller, long project, long id, string name)
    {
        var file = await snapshots.OpenFileAsync(caller, project, id, name);
        await using var content = file.Content;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }
}

public abstract class ExportSnapshotTests : DatabaseTests
{
    private Task<(Caller Lead, long Project)> SetUpAsync() => SnapshotScenario.SetUpAsync(Db);

    private static Task<byte[]> DownloadAsync(ExportSnapshotService snapshots, Caller caller, long project, long id, string name) =>
        SnapshotScenario.DownloadAsync(snapshots, caller, project, id, name);

    [SkippableFact]
    public async Task Snapshot_is_written_in_the_background_downloads_the_same_bytes_twice_and_its_checksums_verify()
    {
        var (lead, project) = await SetUpAsync();
        var snapshots = Db.Get<ExportSnapshotService>();

        var created = await snapshots.CreateAsync(lead, project, "release 1", ExportRequest.Parse("csv", "all"));
        Assert.Equal("running", created.Status);
        Assert.True(await snapshots.RunNextAsync("test-worker"));
        Assert.False(await snapshots.RunNextAsync("test-worker"));

        var ready = await snapshots.GetAsync(lead, project, created.Id);
        Assert.Equal("ready", ready.Status);
        Assert.Equal(3, ready.Items);
        Assert.Equal(5, ready.Annotations);
        var file = Assert.Single(ready.Files);
        Assert.Equal("dataset.csv", file.Name);

        var first = await DownloadAsync(snapshots, lead, project, created.Id, file.Name);
        // Labels change after the snapshot; the snapshot does not.
        var carl = await Db.CreateUserAsync("carl@example.org");
        await Db.AddMembersAsync(lead, project, ProjectRole.Annotator, carl);
        await SnapshotScenario.SubmitAsync(Db, carl, project, (await SnapshotScenario.ItemIdsAsync(Db, project))[2], """{"sentiment": "positive"}""");
        var second = await DownloadAsync(snapshots, lead, project, created.Id, file.Name);
        Assert.Equal(first, second);

        var manifestBytes = await DownloadAsync(snapshots, lead, project, created.Id, ExportSnapshotService.ManifestName);
        Assert.Equal(manifestBytes, await DownloadAsync(snapshots, lead, project, created.Id, ExportSnapshotService.ManifestName));
        var manifest = JsonNode.Parse(manifestBytes)!.AsObject();
        var listed = Assert.Single(manifest["files"]!.AsArray())!;
        Assert.Equal("dataset.csv", listed["name"]!.GetValue<string>());
        Assert.Equal(first.LongLength, listed["size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), listed["sha256"]!.GetValue<string>());
        Assert.Equal(file.Sha256, listed["sha256"]!.GetValue<string>());
        Assert.Equal("release 1", manifest["snapshot"]!["name"]!.GetValue<string>());
        Assert.Equal(project, manifest["project"]!["id"]!.GetValue<long>());
        Assert.Equal(1, manifest["schemaVersion"]!.GetValue<int>());
        Assert.Equal(3, manifest["counts"]!["items"]!.GetValue<long>());
        Assert.Equal(5, manifest["counts"]!["records"]!.GetValue<long>());
        Assert.Equal("sentiment", manifest["agreement"]!["field"]!.GetValue<string>());
        Assert.NotEmpty(manifest["agreement"]!["metrics"]!.AsArray());
        Assert.True(File.Exists(Path.Combine(Db.DataDir, "exports", created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "dataset.csv")));
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(Db.DataDir, "exports")), d => Path.GetFileName(d).StartsWith('.'));
    }

    [SkippableFact]
    public async Task Filters_are_kept_with_the_snapshot_and_an_email_is_stored_as_its_pseudonym()
    {
        var (lead, project) = await SetUpAsync();
        var snapshots = Db.Get<ExportSnapshotService>();

        var created = await snapshots.CreateAsync(lead, project, "ann only", ExportRequest.Parse("jsonl", "all", null, null, null, null, "ann@example.org"));
        await snapshots.RunNextAsync("w");

        var ready = await snapshots.GetAsync(lead, project, created.Id);
        Assert.StartsWith("annotator-", ready.Filters["annotator"], StringComparison.Ordinal);
        Assert.Equal(3, ready.Annotations);
        var manifest = JsonNode.Parse(await DownloadAsync(snapshots, lead, project, created.Id, ExportSnapshotService.ManifestName))!;
        Assert.DoesNotContain("ann@example.org", manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_name_is_used_once_per_project()
    {
        var (lead, project) = await SetUpAsync();
        var snapshots = Db.Get<ExportSnapshotService>();
        await snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("jsonl", "final"));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("csv", "final")));

        Assert.Equal(ServiceErrorKind.Conflict, ex.Kind);
    }

    [SkippableFact]
    public async Task A_format_that_does_not_fit_the_schema_is_refused_when_requested()
    {
        var (lead, project) = await SetUpAsync();

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Db.Get<ExportSnapshotService>().CreateAsync(lead, project, "boxes", ExportRequest.Parse("yolo", "final")));

        Assert.Equal(ServiceErrorKind.Invalid, ex.Kind);
        Assert.Contains("boxes field", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_running_snapshot_cannot_be_downloaded_yet()
    {
        var (lead, project) = await SetUpAsync();
        var snapshots = Db.Get<ExportSnapshotService>();
        var created = await snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("jsonl", "final"));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => snapshots.OpenFileAsync(lead, project, created.Id, "dataset.jsonl"));

        Assert.Equal(ServiceErrorKind.Conflict, ex.Kind);
    }

    [SkippableFact]
    public async Task A_claim_held_by_a_live_worker_is_left_alone_and_a_dead_workers_claim_is_taken_over()
    {
        var (lead, project) = await SetUpAsync();
        var snapshots = Db.Get<ExportSnapshotService>();
        var created = await snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("parquet", "final"));
        await using (var db = await Db.ContextAsync())
        {
            var future = Db.Time.GetUtcNow().AddMinutes(5);
            await db.ExportSnapshots.Where(s => s.Id == created.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseOwner, "other").SetProperty(s => s.LeaseExpiresAt, future));
        }

        Assert.False(await snapshots.RunNextAsync("me"));

        await using (var db = await Db.ContextAsync())
        {
            var past = Db.Time.GetUtcNow().AddMinutes(-1);
            await db.ExportSnapshots.Where(s => s.Id == created.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseExpiresAt, past));
        }

        Assert.True(await snapshots.RunNextAsync("me"));
        Assert.Equal("ready", (await snapshots.GetAsync(lead, project, created.Id)).Status);
    }

    [SkippableFact]
    public async Task Annotators_cannot_see_snapshots()
    {
        var (_, project) = await SetUpAsync();
        var ann = await Db.CreateUserAsync("dora@example.org");
        await using (var db = await Db.ContextAsync())
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = project, UserId = ann.UserId, Role = ProjectRole.Annotator });
            await db.SaveChangesAsync();
        }

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Db.Get<ExportSnapshotService>().ListAsync(ann, project));

        Assert.Equal(ServiceErrorKind.Forbidden, ex.Kind);
    }
}

public sealed class ExportSnapshotSqliteTests : ExportSnapshotTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ExportSnapshotPostgresTests : ExportSnapshotTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
