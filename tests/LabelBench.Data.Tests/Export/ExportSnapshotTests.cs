using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Export;

public class ExportSnapshotTests
{
    private const string Schema = """
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "negative", "neutral"]}]}
        """;

    private static async Task<(ExportTestHost Host, Caller Lead, long Project)> SetUpAsync()
    {
        var host = await ExportTestHost.CreateAsync();
        var lead = await host.UserAsync("lead@example.org");
        var ann = await host.UserAsync("ann@example.org");
        var bob = await host.UserAsync("bob@example.org");
        var project = await host.ProjectAsync(lead, Schema, 2, "ann@example.org", "bob@example.org");
        await host.ImportJsonlAsync(lead, project, """
            {"id": "r1", "data": {"text": "Great"}, "split": "train"}
            {"id": "r2", "data": {"text": "Awful"}, "split": "test"}
            {"id": "r3", "data": {"text": "Meh"}}
            """);
        var items = await host.ItemIdsAsync(project);
        await host.SubmitAsync(ann, project, items[0], """{"sentiment": "positive"}""");
        await host.SubmitAsync(bob, project, items[0], """{"sentiment": "positive"}""");
        await host.SubmitAsync(ann, project, items[1], """{"sentiment": "negative"}""");
        await host.SubmitAsync(bob, project, items[1], """{"sentiment": "neutral"}""");
        await host.SubmitAsync(ann, project, items[2], """{"sentiment": "neutral"}""");
        return (host, lead, project);
    }

    private static async Task<byte[]> DownloadAsync(ExportSnapshotService snapshots, Caller caller, long project, long id, string name)
    {
        var file = await snapshots.OpenFileAsync(caller, project, id, name);
        await using var content = file.Content;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Snapshot_is_written_in_the_background_downloads_the_same_bytes_twice_and_its_checksums_verify()
    {
        var (host, lead, project) = await SetUpAsync();
        await using var _ = host;
        var snapshots = host.Get<ExportSnapshotService>();

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
        var carl = await host.UserAsync("carl@example.org");
        await host.Get<ProjectService>().AddMemberAsync(lead, project, "carl@example.org", ProjectRole.Annotator);
        await host.SubmitAsync(carl, project, (await host.ItemIdsAsync(project))[2], """{"sentiment": "positive"}""");
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
        Assert.True(File.Exists(Path.Combine(host.DataDir, "exports", created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "dataset.csv")));
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(host.DataDir, "exports")), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public async Task Filters_are_kept_with_the_snapshot_and_an_email_is_stored_as_its_pseudonym()
    {
        var (host, lead, project) = await SetUpAsync();
        await using var _ = host;
        var snapshots = host.Get<ExportSnapshotService>();

        var created = await snapshots.CreateAsync(lead, project, "ann only", ExportRequest.Parse("jsonl", "all", null, null, null, null, "ann@example.org"));
        await snapshots.RunNextAsync("w");

        var ready = await snapshots.GetAsync(lead, project, created.Id);
        Assert.StartsWith("annotator-", ready.Filters["annotator"], StringComparison.Ordinal);
        Assert.Equal(3, ready.Annotations);
        var manifest = JsonNode.Parse(await DownloadAsync(snapshots, lead, project, created.Id, ExportSnapshotService.ManifestName))!;
        Assert.DoesNotContain("ann@example.org", manifest.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_is_used_once_per_project()
    {
        var (host, lead, project) = await SetUpAsync();
        await using var _ = host;
        var snapshots = host.Get<ExportSnapshotService>();
        await snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("jsonl", "final"));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("csv", "final")));

        Assert.Equal(ServiceErrorKind.Conflict, ex.Kind);
    }

    [Fact]
    public async Task A_format_that_does_not_fit_the_schema_is_refused_when_requested()
    {
        var (host, lead, project) = await SetUpAsync();
        await using var _ = host;

        var ex = await Assert.ThrowsAsync<ServiceException>(() => host.Get<ExportSnapshotService>().CreateAsync(lead, project, "boxes", ExportRequest.Parse("yolo", "final")));

        Assert.Equal(ServiceErrorKind.Invalid, ex.Kind);
        Assert.Contains("boxes field", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_snapshot_cannot_be_downloaded_yet()
    {
        var (host, lead, project) = await SetUpAsync();
        await using var _ = host;
        var snapshots = host.Get<ExportSnapshotService>();
        var created = await snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("jsonl", "final"));

        var ex = await Assert.ThrowsAsync<ServiceException>(() => snapshots.OpenFileAsync(lead, project, created.Id, "dataset.jsonl"));

        Assert.Equal(ServiceErrorKind.Conflict, ex.Kind);
    }

    [Fact]
    public async Task A_claim_held_by_a_live_worker_is_left_alone_and_a_dead_workers_claim_is_taken_over()
    {
        var (host, lead, project) = await SetUpAsync();
        await using var _ = host;
        var snapshots = host.Get<ExportSnapshotService>();
        var created = await snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("parquet", "final"));
        await using (var db = await host.DbAsync())
        {
            var future = DateTimeOffset.UtcNow.AddMinutes(5);
            await db.ExportSnapshots.Where(s => s.Id == created.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseOwner, "other").SetProperty(s => s.LeaseExpiresAt, future));
        }

        Assert.False(await snapshots.RunNextAsync("me"));

        await using (var db = await host.DbAsync())
        {
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.ExportSnapshots.Where(s => s.Id == created.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseExpiresAt, past));
        }

        Assert.True(await snapshots.RunNextAsync("me"));
        Assert.Equal("ready", (await snapshots.GetAsync(lead, project, created.Id)).Status);
    }

    [Fact]
    public async Task Annotators_cannot_see_snapshots()
    {
        var (host, _, project) = await SetUpAsync();
        await using var __ = host;
        var ann = await host.UserAsync("dora@example.org");
        await using (var db = await host.DbAsync())
        {
            db.ProjectMembers.Add(new ProjectMember { ProjectId = project, UserId = ann.UserId, Role = ProjectRole.Annotator });
            await db.SaveChangesAsync();
        }

        var ex = await Assert.ThrowsAsync<ServiceException>(() => host.Get<ExportSnapshotService>().ListAsync(ann, project));

        Assert.Equal(ServiceErrorKind.Forbidden, ex.Kind);
    }
}
