using System.Diagnostics;
using System.Text.Json.Nodes;
using LabelBench.Data;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Benchmarks.Workspace;

/// <summary>
/// <c>latency</c>: server-side latency of <c>next</c> and submit, calling <see cref="QueueService"/> as the web app's
/// endpoints do (one call each, same arguments), over a data folder made by <c>seed</c>. For each queue order the
/// project is switched to it and <c>--calls</c> next → submit rounds run, round-robin over <c>--annotators</c> people,
/// <c>--parallel</c> of them at once (1: no contention, pure latency). Prints a Markdown table in milliseconds.
/// </summary>
internal static class QueueLatency
{
    private static readonly string[] Labels = ["positive", "negative", "neutral"];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var dataDir = args.Text("data");
        var projectId = args.Long("project");
        var calls = args.Int("calls", 2000);
        var annotatorCount = args.Int("annotators", 10);
        var parallel = args.Int("parallel", 1);
        var orders = args.Text("orders", "sequential,random,uncertainty").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var callers = (await File.ReadAllLinesAsync(args.Text("tokens", Path.Combine(dataDir, "tokens.tsv"))))
            .Where(l => l.Length > 0).Select(l => new Caller(l.Split('\t')[1])).Take(annotatorCount).ToList();

        await using var services = await BenchServices.CreateAsync(dataDir, args.Flag("sql"));
        var queue = services.GetRequiredService<QueueService>();
        var factory = services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>();
        Console.WriteLine($"| order | call | calls | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
        Console.WriteLine($"| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var order in orders)
        {
            await using (var db = await factory.CreateDbContextAsync())
            {
                await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.QueueOrder, order));
            }

            // Warm-up: JIT, EF Core's query cache, the connection pool.
            await RoundsAsync(queue, projectId, callers, 20, 1, new LatencySamples(), new LatencySamples());
            var next = new LatencySamples();
            var submit = new LatencySamples();
            var clock = Stopwatch.StartNew();
            await RoundsAsync(queue, projectId, callers, calls, parallel, next, submit);
            clock.Stop();
            Console.WriteLine($"| {order} | next | {next.Row()} |");
            Console.WriteLine($"| {order} | submit | {submit.Row()} |");
            await Console.Error.WriteLineAsync($"{order}: {next.Count} rounds in {clock.Elapsed.TotalSeconds:F1} s ({next.Count / clock.Elapsed.TotalSeconds:F0} rounds/s)");
        }

        return 0;
    }

    private static async Task RoundsAsync(QueueService queue, long projectId, List<Caller> callers, int calls, int parallel, LatencySamples next, LatencySamples submit)
    {
        var remaining = calls;
        async Task WorkerAsync(int worker)
        {
            for (var turn = 0; Interlocked.Decrement(ref remaining) >= 0; turn++)
            {
                // Each worker serves its own slice of the annotators, so no two workers act as the same person.
                var mine = callers.Where((_, i) => i % parallel == worker).ToList();
                var caller = mine[turn % mine.Count];
                var started = Stopwatch.GetTimestamp();
                var item = await queue.NextAsync(caller, projectId);
                next.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (item is null)
                {
                    return;
                }

                var result = new JsonObject { ["sentiment"] = Labels[(int)(item.ItemId % 3)] };
                started = Stopwatch.GetTimestamp();
                await queue.SubmitAsync(caller, projectId, item.ItemId, result, 1000);
                submit.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, parallel).Select(w => Task.Run(() => WorkerAsync(w))));
    }
}
