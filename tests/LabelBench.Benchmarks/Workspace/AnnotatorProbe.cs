using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Data;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Benchmarks.Workspace;

/// <summary>
/// <c>probe</c>: annotators working while something else writes to the same database (import-e2e.sh runs it beside
/// <c>labelbench import</c>). A separate process, as the web app is, calling <see cref="QueueService"/> like its
/// endpoints: each of <c>--emails</c> in turn takes the next item and submits it, with <c>--pause-ms</c> between rounds
/// (people read before they click), until <c>--stop-file</c> exists. Prints one JSON line: rounds, latency percentiles
/// and the worst wait, so a long write transaction shows up as a long <c>max</c>.
/// </summary>
internal static class AnnotatorProbe
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var dataDir = args.Text("data");
        var projectId = args.Long("project");
        var stopFile = args.Text("stop-file");
        var pause = TimeSpan.FromMilliseconds(args.Int("pause-ms", 200));
        var emails = args.Text("emails").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.ToUpperInvariant()).ToList();

        await using var services = await BenchServices.CreateAsync(dataDir);
        List<Caller> callers;
        await using (var db = await services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync())
        {
            callers = await db.Users.Where(u => emails.Contains(u.NormalizedEmail!)).Select(u => new Caller(u.Id, false)).ToListAsync();
        }

        if (callers.Count != emails.Count)
        {
            throw new ArgumentException($"--emails: {emails.Count - callers.Count} of the users do not exist");
        }

        var queue = services.GetRequiredService<QueueService>();
        var next = new LatencySamples();
        var submit = new LatencySamples();
        var errors = 0;
        var exhausted = false;
        var clock = Stopwatch.StartNew();
        for (var turn = 0; !File.Exists(stopFile); turn++)
        {
            var caller = callers[turn % callers.Count];
            try
            {
                var started = Stopwatch.GetTimestamp();
                var item = await queue.NextAsync(caller, projectId);
                next.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (item is null)
                {
                    exhausted = true;
                    break;
                }

                started = Stopwatch.GetTimestamp();
                await queue.SubmitAsync(caller, projectId, item.ItemId, new JsonObject { ["sentiment"] = "neutral" }, 1000);
                submit.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is ServiceException or DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
            {
                errors++;
                await Console.Error.WriteLineAsync($"probe: {ex.GetType().Name}: {ex.Message}");
            }

            await Task.Delay(pause);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"seconds\": {clock.Elapsed.TotalSeconds:F1}, \"rounds\": {submit.Count}, \"errors\": {errors}, \"exhausted\": {(exhausted ? "true" : "false")}, " +
            $"\"nextP50\": {next.Percentile(50):F1}, \"nextP95\": {next.Percentile(95):F1}, \"nextMax\": {next.Max:F1}, " +
            $"\"submitP50\": {submit.Percentile(50):F1}, \"submitP95\": {submit.Percentile(95):F1}, \"submitMax\": {submit.Max:F1}}}"));
        return errors == 0 ? 0 : 1;
    }
}
