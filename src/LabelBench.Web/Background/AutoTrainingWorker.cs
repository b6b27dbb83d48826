using System.ComponentModel.DataAnnotations;
using LabelBench.Data.Services;
using LabelBench.Web.Startup;
using Microsoft.Extensions.Options;

namespace LabelBench.Web.Background;

/// <summary>How often the app looks for projects due for automatic retraining, bound from <c>LabelBench:AutoTrain</c>.</summary>
public sealed class AutoTrainOptions
{
    public const string SectionName = "LabelBench:AutoTrain";

    /// <summary>Off turns automatic retraining off on this instance (e.g. all but one of several instances).</summary>
    public bool Enabled { get; set; } = true;

    [Range(5, 86_400)]
    public int IntervalSeconds { get; set; } = 60;
}

/// <summary>
/// Retrains in the background: every interval, projects whose <c>AutoTrainEvery</c> N is due (N new final labels since
/// their last round) train the built-in classifier or ask their model service again. Training runs off the request
/// path and outside any transaction, and predictions are written in short batches, so annotators never wait for it.
/// </summary>
public sealed class AutoTrainingWorker(
    ModelTrainingService training,
    PredictionService predictions,
    FirstStart start,
    IOptions<AutoTrainOptions> options,
    TimeProvider time,
    ILogger<AutoTrainingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var cleaned = false;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!start.Ready)
            {
                continue;
            }

            try
            {
                if (!cleaned)
                {
                    // Predictions files a killed server left uncommitted.
                    await predictions.CleanUpAbandonedAsync(TimeSpan.FromHours(1), stoppingToken);
                    cleaned = true;
                }

                var rounds = await training.RunDueAsync(stoppingToken);
                if (rounds > 0)
                {
                    logger.LogInformation("Automatic retraining ran {Rounds} model round(s).", rounds);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Automatic retraining failed; it tries again in {Seconds} s.", options.Value.IntervalSeconds);
            }
        }
    }
}
