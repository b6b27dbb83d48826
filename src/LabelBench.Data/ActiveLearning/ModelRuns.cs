using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabelBench.Data.ActiveLearning;

/// <summary>Bookkeeping of <see cref="ModelTrainingRun"/> rows shared by the built-in trainer and the model service rounds.</summary>
internal static class ModelRuns
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>A run still "running" after this long died with its process; it no longer blocks the next one.</summary>
    public static readonly TimeSpan Stale = TimeSpan.FromHours(2);

    public static async Task<bool> AnyRunningAsync(LabelBenchDbContext db, long projectId, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Stale;
        return await db.ModelTrainingRuns.AnyAsync(r => r.ProjectId == projectId && r.Status == Running && r.StartedAt > since, ct);
    }

    /// <summary>Final labels the project had at its last finished round (0 before the first).</summary>
    public static async Task<long> LabelsAtLastAsync(LabelBenchDbContext db, long projectId, CancellationToken ct) =>
        await db.ModelTrainingRuns.AsNoTracking().Where(r => r.ProjectId == projectId && r.Status != Running)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Select(r => r.LabelsAtStart).FirstOrDefaultAsync(ct);

    /// <summary>Inserts a running round, refusing while another of the project runs; the unique (project, model) index settles races.</summary>
    public static async Task StartAsync(LabelBenchDbContext db, ModelTrainingRun run, CancellationToken ct)
    {
        if (await AnyRunningAsync(db, run.ProjectId, run.StartedAt, ct))
        {
            throw ServiceException.Conflict($"a model round of project {run.ProjectId} is already running; wait for it to finish");
        }

        db.ModelTrainingRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw ServiceException.Conflict($"another model round of project {run.ProjectId} started at the same moment; try again when it has finished");
        }
    }

    /// <summary>Marks a round failed with a message a lead can read; never throws (it runs while another error propagates).</summary>
    public static async Task FailAsync(IDbContextFactory<LabelBenchDbContext> dbFactory, long runId, Exception ex, DateTimeOffset now, ILogger logger)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var message = ex is ServiceException or ModelServiceException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            if (message.Length > 2000)
            {
                message = message[..2000];
            }

            await db.ModelTrainingRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, Failed)
                .SetProperty(r => r.Error, message)
                .SetProperty(r => r.FinishedAt, now), CancellationToken.None);
        }
        catch (Exception recordError) when (recordError is DbUpdateException or InvalidOperationException)
        {
            logger.LogWarning(recordError, "Could not record the failure of model run {RunId}.", runId);
        }
    }
}
