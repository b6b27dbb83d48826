using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Agreement;
using LabelBench.Core.Export;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.Services;

/// <summary>One file of a snapshot as the manifest lists it.</summary>
public sealed record SnapshotFileView(string Name, long Size, string Sha256);

/// <summary>A snapshot as pages and the API show it.</summary>
public sealed record SnapshotView(
    long Id,
    long ProjectId,
    string Name,
    string Status,
    string Format,
    string Source,
    IReadOnlyDictionary<string, string> Filters,
    int SchemaVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    long ProgressItems,
    long TotalItems,
    long Items,
    long Records,
    long Annotations,
    long Skipped,
    string? Error,
    IReadOnlyList<SnapshotFileView> Files);

/// <summary>A snapshot file opened for download.</summary>
public sealed record SnapshotFile(Stream Content, string FileName, string ContentType);

/// <summary>Wakes the snapshot worker of this instance when a snapshot is created here (others find it by polling).</summary>
public sealed class ExportJobSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);

    public void Dispose() => signal.Dispose();
}

/// <summary>
/// Named, immutable exports. A snapshot row is created <c>running</c>; a worker claims it with a lease in the database
/// (so it survives a closed browser and a restart, and several app instances never write it twice), writes the dataset
/// and <c>manifest.json</c> into a temporary folder under <c>DataDir/exports/</c>, and moves the folder into place as
/// <c>exports/&lt;id&gt;/</c> in one rename before it marks the snapshot <c>ready</c>: a download never sees half a file,
/// and every download streams the same bytes, which the manifest's SHA-256 checksums verify.
/// </summary>
public sealed class ExportSnapshotService(
    IDbContextFactory<LabelBenchDbContext> dbFactory,
    ExportService exports,
    AgreementService agreement,
    AuditLog audit,
    ExportJobSignal signal,
    TimeProvider time,
    IOptions<LabelBenchOptions> settings,
    ILogger<ExportSnapshotService> logger)
{
    public const string ManifestName = "manifest.json";
    public const int MaxAttempts = 3;
    public static readonly TimeSpan LeaseTime = TimeSpan.FromMinutes(2);

    private static readonly JsonSerializerOptions ManifestJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private string ExportsDir => Path.Combine(settings.Value.DataDirFullPath, "exports");

    /// <summary>Saves a snapshot request; the worker writes it. Leads and reviewers; a name is unique within the project.</summary>
    public async Task<SnapshotView> CreateAsync(Caller caller, long projectId, string? name, ExportRequest request, CancellationToken ct = default)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            throw ServiceException.Invalid("name: give the snapshot a name of 1 to 200 characters", [new("name", "1 to 200 characters")]);
        }

        var plan = await exports.PlanAsync(caller, projectId, request, ct);
        // The manifest may be read by reviewers: store the pseudonym an email filter resolved to, not the email.
        var stored = request with { Annotator = plan.Filter.Annotator };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ExportSnapshots.AnyAsync(s => s.ProjectId == projectId && s.Name == name, ct))
        {
            throw ServiceException.Conflict($"name: project {projectId} already has a snapshot named \"{name}\"; snapshots are immutable, choose another name");
        }

        var snapshot = new ExportSnapshot
        {
            ProjectId = projectId,
            Name = name,
            CreatedById = caller == Caller.System ? null : caller.UserId,
            CreatedAt = time.GetUtcNow(),
            Format = request.Format,
            Source = request.Source,
            FiltersJson = JsonSerializer.Serialize(stored.Filters()),
            SchemaVersion = plan.Project.CurrentSchemaVersion,
            TotalItems = plan.Project.ItemCount,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.ExportSnapshots.Add(snapshot);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw ServiceException.Conflict($"name: project {projectId} already has a snapshot named \"{name}\"");
            }

            await audit.AppendAsync(db, "export.snapshot.created", caller, projectId, "export-snapshot", snapshot.Id.ToString(CultureInfo.InvariantCulture),
                after: new { snapshot.Name, snapshot.Format, snapshot.Source, filters = stored.Filters() }, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        signal.Notify();
        return ToView(snapshot);
    }

    public async Task<IReadOnlyList<SnapshotView>> ListAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var snapshots = await db.ExportSnapshots.AsNoTracking().Include(s => s.Files).Where(s => s.ProjectId == projectId)
            .OrderByDescending(s => s.Id).Take(200).ToListAsync(ct);
        return snapshots.Select(ToView).ToList();
    }

    public async Task<SnapshotView> GetAsync(Caller caller, long projectId, long snapshotId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ToView(await FindAsync(db, caller, projectId, snapshotId, ct));
    }

    /// <summary>Opens a ready snapshot's file (or its manifest) for reading; the bytes never change.</summary>
    public async Task<SnapshotFile> OpenFileAsync(Caller caller, long projectId, long snapshotId, string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshot = await FindAsync(db, caller, projectId, snapshotId, ct);
        if (snapshot.Status != ExportSnapshot.Ready)
        {
            throw ServiceException.Conflict(snapshot.Status == ExportSnapshot.Failed
                ? $"snapshot {snapshotId} failed: {snapshot.Error}"
                : $"snapshot {snapshotId} is still being written ({snapshot.ProgressItems} of about {snapshot.TotalItems} items)");
        }

        // Only names the snapshot lists reach the disk: nothing in the request becomes a path of its own.
        string contentType;
        if (name == ManifestName)
        {
            contentType = "application/json; charset=utf-8";
        }
        else if (snapshot.Files.Any(f => f.Name == name))
        {
            contentType = ExportFormats.Find(snapshot.Format)?.ContentType ?? "application/octet-stream";
        }
        else
        {
            throw ServiceException.NotFound($"snapshot {snapshotId} has no file \"{name}\"");
        }

        var path = Path.Combine(ExportsDir, snapshot.Id.ToString(CultureInfo.InvariantCulture), name);
        if (!File.Exists(path))
        {
            throw ServiceException.NotFound($"the file \"{name}\" of snapshot {snapshotId} is missing from the server's data folder");
        }

        return new SnapshotFile(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true), name, contentType);
    }

    private static async Task<ExportSnapshot> FindAsync(LabelBenchDbContext db, Caller caller, long projectId, long snapshotId, CancellationToken ct)
    {
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        return await db.ExportSnapshots.AsNoTracking().Include(s => s.Files).SingleOrDefaultAsync(s => s.Id == snapshotId && s.ProjectId == projectId, ct)
            ?? throw ServiceException.NotFound($"snapshot {snapshotId} does not exist in project {projectId}");
    }

    /// <summary>
    /// Claims the oldest running snapshot that no live worker holds and writes it. Returns false when there was nothing
    /// to do. A claim is a lease in the database, renewed while the export runs: a worker that dies lets it run out, and
    /// the next worker (here or on another instance) starts the snapshot again from scratch.
    /// </summary>
    public async Task<bool> RunNextAsync(string worker, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        long id;
        int attempts;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var candidate = await db.ExportSnapshots.AsNoTracking()
                .Where(s => s.Status == ExportSnapshot.Running && (s.LeaseExpiresAt == null || s.LeaseExpiresAt < now))
                .OrderBy(s => s.Id).Select(s => new { s.Id, s.Attempts }).FirstOrDefaultAsync(ct);
            if (candidate is null)
            {
                return false;
            }

            var expires = now + LeaseTime;
            var claimed = await db.ExportSnapshots
                .Where(s => s.Id == candidate.Id && s.Status == ExportSnapshot.Running && (s.LeaseExpiresAt == null || s.LeaseExpiresAt < now))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseOwner, worker).SetProperty(s => s.LeaseExpiresAt, expires)
                    .SetProperty(s => s.StartedAt, now).SetProperty(s => s.Attempts, s => s.Attempts + 1).SetProperty(s => s.ProgressItems, 0), ct);
            if (claimed == 0)
            {
                return true;
            }

            (id, attempts) = (candidate.Id, candidate.Attempts + 1);
        }

        if (attempts > MaxAttempts)
        {
            await FailAsync(id, worker, $"gave up after {MaxAttempts} attempts (the server stopped while writing it)", CancellationToken.None);
            return true;
        }

        await RunAsync(id, worker, ct);
        return true;
    }

    private async Task RunAsync(long id, string worker, CancellationToken ct)
    {
        ExportSnapshot snapshot;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            snapshot = await db.ExportSnapshots.AsNoTracking().SingleAsync(s => s.Id == id, ct);
        }

        var temp = Path.Combine(ExportsDir, $".tmp-{id}-{Guid.NewGuid():N}");
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new LatestValue();
        var heartbeat = HeartbeatAsync(id, worker, progress, heartbeatStop.Token);
        try
        {
            // Inside the try: a data folder the server cannot write to fails the snapshot with the reason, rather than
            // leaving it "running" under a lease nobody renews.
            Directory.CreateDirectory(ExportsDir);
            var filters = JsonSerializer.Deserialize<Dictionary<string, string>>(snapshot.FiltersJson) ?? [];
            var request = ExportRequest.Parse(snapshot.Format, snapshot.Source, filters.GetValueOrDefault("split"), filters.GetValueOrDefault("label"),
                filters.GetValueOrDefault("from"), filters.GetValueOrDefault("to"), filters.GetValueOrDefault("annotator"));
            // Access was checked when the snapshot was requested; the worker acts for the server.
            var plan = await exports.PlanAsync(Caller.System, snapshot.ProjectId, request, ct);
            Directory.CreateDirectory(temp);
            var fileName = "dataset." + request.FormatInfo.Extension;
            var filePath = Path.Combine(temp, fileName);
            ExportRun run;
            await using (var file = new ExportFileStream(filePath, FileMode.CreateNew))
            {
                run = await exports.WriteAsync(plan, request, file, progress, ct);
                await file.FlushAsync(ct);
            }

            var files = new List<SnapshotFileView> { new(fileName, new FileInfo(filePath).Length, await Sha256Async(filePath, ct)) };
            var agreementFigures = await AgreementAsync(snapshot.ProjectId, plan.Schema, ct);
            var manifest = Manifest(snapshot, plan, request, run, agreementFigures, files);
            await File.WriteAllBytesAsync(Path.Combine(temp, ManifestName), manifest, ct);

            var target = Path.Combine(ExportsDir, id.ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(target))
            {
                // Left by an earlier attempt that moved its folder but died before marking the snapshot ready.
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(temp, target);
            await heartbeatStop.CancelAsync();
            await heartbeat;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var agreementJson = agreementFigures?.ToJsonString();
            var updated = await db.ExportSnapshots.Where(s => s.Id == id && s.LeaseOwner == worker && s.Status == ExportSnapshot.Running)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ExportSnapshot.Ready).SetProperty(s => s.CompletedAt, now)
                    .SetProperty(s => s.ItemCount, run.Items).SetProperty(s => s.RecordCount, run.Result.Records)
                    .SetProperty(s => s.AnnotationCount, run.Annotations).SetProperty(s => s.SkippedCount, run.Result.Skipped)
                    .SetProperty(s => s.ProgressItems, progress.Value).SetProperty(s => s.AgreementJson, agreementJson)
                    .SetProperty(s => s.LeaseOwner, (string?)null).SetProperty(s => s.LeaseExpiresAt, (DateTimeOffset?)null), ct);
            if (updated == 0)
            {
                // Another worker took the snapshot over (our lease ran out); it writes its own copy.
                await tx.RollbackAsync(ct);
                return;
            }

            await db.ExportSnapshotFiles.Where(f => f.SnapshotId == id).ExecuteDeleteAsync(ct);
            db.ExportSnapshotFiles.AddRange(files.Select(f => new ExportSnapshotFile { SnapshotId = id, Name = f.Name, Size = f.Size, Sha256 = f.Sha256 }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server is stopping: give the claim back so the next start (or another instance) writes it.
            await heartbeatStop.CancelAsync();
            await AwaitQuietlyAsync(heartbeat);
            DeleteQuietly(temp);
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.ExportSnapshots.Where(s => s.Id == id && s.LeaseOwner == worker)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LeaseOwner, (string?)null).SetProperty(s => s.LeaseExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await heartbeatStop.CancelAsync();
            await AwaitQuietlyAsync(heartbeat);
            DeleteQuietly(temp);
            logger.LogWarning(ex, "Export snapshot {SnapshotId} failed", id);
            await FailAsync(id, worker, ex.Message, CancellationToken.None);
        }
    }

    private async Task FailAsync(long id, string worker, string reason, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = reason.Length > 2000 ? reason[..2000] : reason;
        var now = time.GetUtcNow();
        await db.ExportSnapshots.Where(s => s.Id == id && s.LeaseOwner == worker)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, ExportSnapshot.Failed).SetProperty(s => s.Error, message)
                .SetProperty(s => s.CompletedAt, now).SetProperty(s => s.LeaseOwner, (string?)null).SetProperty(s => s.LeaseExpiresAt, (DateTimeOffset?)null), ct);
    }

    /// <summary>Writes progress and renews the lease every few seconds while the export runs.</summary>
    private async Task HeartbeatAsync(long id, string worker, LatestValue progress, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var expires = time.GetUtcNow() + LeaseTime;
                var items = progress.Value;
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await db.ExportSnapshots.Where(s => s.Id == id && s.LeaseOwner == worker)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.ProgressItems, items).SetProperty(s => s.LeaseExpiresAt, expires), ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The export finished or the server is stopping.
        }
        catch (DbUpdateException ex)
        {
            logger.LogWarning(ex, "Could not record the progress of export snapshot {SnapshotId}", id);
        }
    }

    private static async Task AwaitQuietlyAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless: its name starts with a dot and nothing lists it.
        }
    }

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    /// <summary>Agreement figures over the project's first choices field, or null when it has none or nothing to measure.</summary>
    private async Task<JsonObject?> AgreementAsync(long projectId, LabelSchema schema, CancellationToken ct)
    {
        var field = schema.Fields.FirstOrDefault(f => f.Kind == FieldKind.Choices);
        if (field is null)
        {
            return null;
        }

        try
        {
            var set = await agreement.JudgementsAsync(Caller.System, projectId, field.Name, ct);
            var report = AgreementReport.Compute(set);
            report["field"] = field.Name;
            return report;
        }
        catch (Exception ex) when (ex is ServiceException or AgreementException)
        {
            return null;
        }
    }

    private static byte[] Manifest(ExportSnapshot snapshot, ExportService.ExportPlan plan, ExportRequest request, ExportRun run, JsonObject? agreementFigures, List<SnapshotFileView> files)
    {
        var filters = new JsonObject();
        foreach (var (key, value) in request.Filters())
        {
            filters[key] = value;
        }

        var manifest = new JsonObject
        {
            ["generator"] = "LabelBench",
            ["snapshot"] = new JsonObject
            {
                ["id"] = snapshot.Id,
                ["name"] = snapshot.Name,
                ["createdAt"] = snapshot.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["createdBy"] = snapshot.CreatedById is null ? null : Pseudonym.For(snapshot.CreatedById, plan.Project.PseudonymSalt),
            },
            ["project"] = new JsonObject { ["id"] = plan.Project.Id, ["name"] = plan.Project.Name },
            ["schemaVersion"] = plan.Project.CurrentSchemaVersion,
            ["schema"] = LabelSchemaJson.ToJsonNode(plan.Schema),
            ["format"] = request.Format,
            ["source"] = request.Source,
            ["filters"] = filters,
            ["counts"] = new JsonObject
            {
                ["items"] = run.Items,
                ["records"] = run.Result.Records,
                ["annotations"] = run.Annotations,
                ["skipped"] = run.Result.Skipped,
                ["missingMedia"] = run.Result.MissingMedia,
            },
            ["agreement"] = agreementFigures,
            ["files"] = new JsonArray(files.Select(f => (JsonNode?)new JsonObject { ["name"] = f.Name, ["size"] = f.Size, ["sha256"] = f.Sha256 }).ToArray()),
        };
        return JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson);
    }

    private static SnapshotView ToView(ExportSnapshot s) => new(
        s.Id, s.ProjectId, s.Name, s.Status, s.Format, s.Source,
        JsonSerializer.Deserialize<Dictionary<string, string>>(s.FiltersJson) ?? [],
        s.SchemaVersion, s.CreatedAt, s.CompletedAt, s.ProgressItems, s.TotalItems, s.ItemCount, s.RecordCount, s.AnnotationCount, s.SkippedCount, s.Error,
        s.Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new SnapshotFileView(f.Name, f.Size, f.Sha256)).ToList());

    /// <summary>The latest progress figure, read by the heartbeat; written from the export's thread.</summary>
    private sealed class LatestValue : IProgress<long>
    {
        private long value;

        public long Value => Interlocked.Read(ref value);

        public void Report(long value) => Interlocked.Exchange(ref this.value, value);
    }
}

/// <summary>Writes export snapshots in the background: wakes when one is requested here, and polls for the rest.</summary>
public sealed class ExportSnapshotWorker(ExportSnapshotService snapshots, ExportJobSignal signal, ILogger<ExportSnapshotWorker> logger) : Microsoft.Extensions.Hosting.BackgroundService
{
    /// <summary>This instance's name on its leases: unique per process, at most 100 characters.</summary>
    private readonly string worker = $"{Guid.NewGuid():N}-{Environment.ProcessId}-{Environment.MachineName}" is var name && name.Length > 100 ? name[..100] : name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var ran = false;
            try
            {
                ran = await snapshots.RunNextAsync(worker, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database hiccup must not stop the worker for good; the next poll tries again.
                logger.LogError(ex, "The export snapshot worker failed; retrying shortly");
            }

            if (!ran)
            {
                try
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
