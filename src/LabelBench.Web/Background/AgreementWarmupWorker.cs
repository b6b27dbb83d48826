using LabelBench.Data.Services;
using LabelBench.Web.Startup;
using Microsoft.Extensions.Options;

namespace LabelBench.Web.Background;

/// <summary>Whether the agreement figures are computed when the app starts, bound from <c>LabelBench:Agreement</c>.</summary>
public sealed class AgreementOptions
{
    public const string SectionName = "LabelBench:Agreement";

    /// <summary>Compute each active project's dashboard in the background after start, so its first open is quick.</summary>
    public bool WarmOnStart { get; set; } = true;
}

/// <summary>
/// After the app is ready, computes the agreement dashboard of every active project once, in the background, so leads
/// opening it after a restart get figures at once; from then on the dashboard keeps itself current (see
/// <see cref="AgreementService.DashboardAsync"/>).
/// </summary>
public sealed class AgreementWarmupWorker(
    AgreementService agreement, FirstStart start, IOptions<AgreementOptions> options, TimeProvider time, ILogger<AgreementWarmupWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmOnStart)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (!start.Ready && await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Wait for migrations and the first start's seeding.
        }

        try
        {
            var started = time.GetTimestamp();
            var projects = await agreement.WarmAsync(stoppingToken);
            logger.LogInformation("Agreement figures of {Projects} project(s) computed in {Seconds:F1} s", projects, time.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The dashboard computes on its first open instead.
            logger.LogWarning(ex, "Computing the agreement figures after start failed");
        }
    }
}
