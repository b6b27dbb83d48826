using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabelBench.Data.Tests.Export;

/// <summary>
/// The background worker as the web app runs it (<see cref="ExportSnapshotWorker"/> started like a hosted service):
/// a snapshot outlives the request (the circuit) that asked for it, a failure is reported on the snapshot, and nobody
/// outside the project reaches its files.
/// </summary>
public abstract class ExportSnapshotWorkerTests : DatabaseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private ExportSnapshotService Snapshots => Db.Get<ExportSnapshotService>();

    private ExportSnapshotWorker NewWorker() =>
        new(Snapshots, Db.Get<ExportJobSignal>(), NullLogger<ExportSnapshotWorker>.Instance);

    private async Task<SnapshotView> WaitUntilDoneAsync(Caller caller, long project, long id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var view = await Snapshots.GetAsync(caller, project, id);
            if (view.Status != "running")
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, $"snapshot {id} still running after {Patience.TotalSeconds} s ({view.ProgressItems} items)");
            await Task.Delay(50);
        }
    }

    [SkippableFact]
    public async Task A_snapshot_is_finished_by_the_worker_after_the_circuit_that_asked_for_it_is_gone()
    {
        var (lead, project) = await SnapshotScenario.SetUpAsync(Db);
        var worker = NewWorker();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            long id;
            using (var circuit = new CancellationTokenSource())
            {
                // The page's token: the browser closes right after asking.
                var created = await Snapshots.CreateAsync(lead, project, "nightly", ExportRequest.Parse("jsonl", "all"), circuit.Token);
                id = created.Id;
                await circuit.CancelAsync();
            }

            var done = await WaitUntilDoneAsync(lead, project, id);

            Assert.Equal("ready", done.Status);
            Assert.Null(done.Error);
            Assert.Equal(3, done.Items);
            Assert.Equal(3, done.ProgressItems);
            var file = Assert.Single(done.Files);
            var bytes = await SnapshotScenario.DownloadAsync(Snapshots, lead, project, id, file.Name);
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            var lines = System.Text.Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["r1", "r2", "r3"], lines.Select(l => JsonNode.Parse(l)!["externalId"]!.GetValue<string>()));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    [SkippableFact]
    public async Task A_snapshot_that_cannot_be_written_is_marked_failed_with_the_reason()
    {
        var (lead, project) = await SnapshotScenario.SetUpAsync(Db);
        // A file where the exports folder should be: the worker cannot create its folder.
        await File.WriteAllTextAsync(Path.Combine(Db.DataDir, "exports"), "in the way");
        var created = await Snapshots.CreateAsync(lead, project, "broken", ExportRequest.Parse("csv", "all"));
        var worker = NewWorker();
        await worker.StartAsync(CancellationToken.None);
        SnapshotView done;
        try
        {
            done = await WaitUntilDoneAsync(lead, project, created.Id);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        Assert.Equal("failed", done.Status);
        Assert.False(string.IsNullOrWhiteSpace(done.Error));
        Assert.Empty(done.Files);
        Assert.NotNull(done.CompletedAt);
        var download = await Assert.ThrowsAsync<ServiceException>(() => Snapshots.OpenFileAsync(lead, project, created.Id, "dataset.csv"));
        Assert.Equal(ServiceErrorKind.Conflict, download.Kind);
        Assert.Contains("failed", download.Message, StringComparison.Ordinal);
        Assert.Contains(done.Error!, download.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Nobody_outside_the_project_reaches_its_snapshots_even_through_their_own_project()
    {
        var (lead, project) = await SnapshotScenario.SetUpAsync(Db);
        var created = await Snapshots.CreateAsync(lead, project, "v1", ExportRequest.Parse("jsonl", "all"));
        Assert.True(await Snapshots.RunNextAsync("test-worker"));
        var outsider = await Db.CreateUserAsync("outsider@example.org");
        var theirs = await Db.CreateSentimentProjectAsync(outsider, name: "Their own");

        var direct = await Assert.ThrowsAsync<ServiceException>(() => Snapshots.OpenFileAsync(outsider, project, created.Id, "dataset.jsonl"));
        var manifest = await Assert.ThrowsAsync<ServiceException>(() => Snapshots.OpenFileAsync(outsider, project, created.Id, ExportSnapshotService.ManifestName));
        var listed = await Assert.ThrowsAsync<ServiceException>(() => Snapshots.GetAsync(outsider, project, created.Id));
        // The snapshot's id under a project the outsider leads: not that project's snapshot.
        var viaOwn = await Assert.ThrowsAsync<ServiceException>(() => Snapshots.OpenFileAsync(outsider, theirs, created.Id, "dataset.jsonl"));

        Assert.All(new[] { direct, manifest, listed, viaOwn }, ex => Assert.Equal(ServiceErrorKind.NotFound, ex.Kind));
        Assert.Empty(await Snapshots.ListAsync(outsider, theirs));
        // The lead still downloads it.
        Assert.NotEmpty(await SnapshotScenario.DownloadAsync(Snapshots, lead, project, created.Id, "dataset.jsonl"));
    }
}

public sealed class ExportSnapshotWorkerSqliteTests : ExportSnapshotWorkerTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ExportSnapshotWorkerPostgresTests : ExportSnapshotWorkerTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
