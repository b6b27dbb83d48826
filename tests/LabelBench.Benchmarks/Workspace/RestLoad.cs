using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabelBench.Data;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Benchmarks.Workspace;

/// <summary>
/// <c>rest</c>: annotators through the REST API of a running app (workspace-e2e.sh starts it). Each of
/// <c>--annotators</c> people has <c>--tabs</c> clients with the same personal access token, each looping
/// GET next → POST annotation. First for <c>--seconds</c> on the big project (latency and throughput), then on the
/// drain project until every tab gets 204. Then the database is checked: every item has at most its target of
/// annotations and exactly the overlap in the drained project, from distinct people; counters match the rows; every
/// 201 is stored; every 409 is a second tab's, whose person did submit the item; nobody was handed an item after
/// submitting it; no lease is left behind. Exit 1 if any check fails.
/// </summary>
internal static class RestLoad
{
    private static readonly string[] Labels = ["positive", "negative", "neutral"];

    private sealed record Person(string Email, string UserId, string Token);

    private sealed class Run
    {
        public LatencySamples Next { get; } = new();
        public LatencySamples Submit { get; } = new();
        public ConcurrentBag<(string User, long Item, long At)> Handed { get; } = [];
        public ConcurrentBag<(string User, long Item, long At)> Created { get; } = [];
        public ConcurrentBag<(string User, long Item)> Conflicts { get; } = [];
        public ConcurrentBag<string> Errors { get; } = [];
        public long Rounds;

        /// <summary>Adds a phase's handouts and outcomes (not its latencies) to the run the checks read.</summary>
        public void Absorb(Run phase)
        {
            foreach (var h in phase.Handed) { Handed.Add(h); }
            foreach (var c in phase.Created) { Created.Add(c); }
            foreach (var c in phase.Conflicts) { Conflicts.Add(c); }
            foreach (var e in phase.Errors) { Errors.Add(e); }
        }
    }

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var url = args.Text("url").TrimEnd('/');
        var dataDir = args.Text("data");
        var project = args.Long("project");
        var drain = args.Text("drain-project", "");
        var tabs = args.Int("tabs", 2);
        var seconds = args.Int("seconds", 60);
        var people = (await File.ReadAllLinesAsync(args.Text("tokens", Path.Combine(dataDir, "tokens.tsv"))))
            .Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(p => new Person(p[0], p[1], p[2])).Take(args.Int("annotators", 50)).ToList();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromMinutes(2),
        };

        Console.WriteLine($"{people.Count} annotators × {tabs} tabs over HTTP at {url}");
        Console.WriteLine();
        Console.WriteLine("| project | phase | call | calls | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        var pacedSeconds = args.Int("paced-seconds", 0);
        var think = TimeSpan.FromMilliseconds(args.Int("think-ms", 5000));
        var timed = new Run();
        var summary = new List<string>();
        if (pacedSeconds > 0)
        {
            // People at a human pace first: one tab each, a think time between submit and the next item.
            var paced = new Run();
            var pacedElapsed = await PhaseAsync(http, project, people, 1, TimeSpan.FromSeconds(pacedSeconds), think, paced, $"paced, 1 tab, think {think.TotalSeconds:F0} s");
            summary.Add(Report(project, "paced", paced, pacedElapsed));
            timed.Absorb(paced);
        }

        var loop = new Run();
        var loopElapsed = await PhaseAsync(http, project, people, tabs, TimeSpan.FromSeconds(seconds), TimeSpan.Zero, loop, $"{tabs} tabs, tight loop, {seconds} s");
        summary.Add(Report(project, $"{seconds} s tight loop", loop, loopElapsed));
        timed.Absorb(loop);
        Run? drained = null;
        if (drain.Length > 0)
        {
            drained = new Run();
            var elapsed = await PhaseAsync(http, long.Parse(drain, CultureInfo.InvariantCulture), people, tabs, null, TimeSpan.Zero, drained, $"{tabs} tabs, until empty");
            summary.Add(Report(long.Parse(drain, CultureInfo.InvariantCulture), "until empty", drained, elapsed));
        }

        Console.WriteLine();
        summary.ForEach(Console.WriteLine);
        Console.WriteLine();
        await using var services = await BenchServices.CreateAsync(dataDir);
        var factory = services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>();
        var failures = await VerifyAsync(factory, project, timed, drained: false);
        if (drained is not null)
        {
            failures += await VerifyAsync(factory, long.Parse(drain, CultureInfo.InvariantCulture), drained, drained: true);
        }

        Console.WriteLine(failures == 0 ? "verification: all checks passed" : $"verification: {failures} checks FAILED");
        return failures == 0 ? 0 : 1;
    }

    private static string Report(long project, string phase, Run run, TimeSpan elapsed) =>
        $"project {project} ({phase}): {run.Created.Count:N0} annotations stored in {elapsed.TotalSeconds:F1} s " +
        $"= {run.Created.Count / elapsed.TotalSeconds:F1} submits/s; {run.Conflicts.Count} second-tab conflicts (409), {run.Errors.Count} errors" +
        string.Concat(run.Errors.Take(5).Select(e => $"\n  error: {e}"));

    private static async Task<TimeSpan> PhaseAsync(HttpClient http, long project, List<Person> people, int tabs, TimeSpan? duration, TimeSpan think, Run run, string phase)
    {
        var phaseRun = run;
        var clock = Stopwatch.StartNew();
        var deadline = duration is { } d ? DateTime.UtcNow + d : DateTime.MaxValue;
        await Task.WhenAll(people.SelectMany(p => Enumerable.Range(0, tabs).Select(tab => Task.Run(() => TabAsync(http, project, p, tab, phaseRun, deadline, think)))));
        clock.Stop();
        Console.WriteLine($"| {project} | {phase} | GET next | {phaseRun.Next.Row()} |");
        Console.WriteLine($"| {project} | {phase} | POST annotation | {phaseRun.Submit.Row()} |");
        return clock.Elapsed;
    }

    private static async Task TabAsync(HttpClient http, long project, Person person, int tab, Run run, DateTime deadline, TimeSpan think)
    {
        // Tabs start spread over the think time, as people do not all click at once.
        await Task.Delay(think * Random.Shared.NextDouble());
        for (var turn = 0; DateTime.UtcNow < deadline && turn < 100_000; turn++)
        {
            var asked = Stopwatch.GetTimestamp();
            using var nextRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/projects/{project}/next");
            nextRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", person.Token);
            using var next = await http.SendAsync(nextRequest);
            run.Next.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
            if (next.StatusCode == HttpStatusCode.NoContent)
            {
                return;
            }

            if (next.StatusCode != HttpStatusCode.OK)
            {
                run.Errors.Add($"GET next for {person.Email}: {(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
                continue;
            }

            var itemId = (await next.Content.ReadFromJsonAsync<JsonObject>())!["itemId"]!.GetValue<long>();
            run.Handed.Add((person.UserId, itemId, asked));
            var body = new JsonObject { ["result"] = new JsonObject { ["sentiment"] = Labels[(tab + turn) % 3] }, ["timeSpentMs"] = 1000 };
            var started = Stopwatch.GetTimestamp();
            using var submitRequest = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/projects/{project}/items/{itemId}/annotations") { Content = JsonContent.Create(body) };
            submitRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", person.Token);
            using var submit = await http.SendAsync(submitRequest);
            run.Submit.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            switch (submit.StatusCode)
            {
                case HttpStatusCode.Created:
                    run.Created.Add((person.UserId, itemId, Stopwatch.GetTimestamp()));
                    break;
                case HttpStatusCode.Conflict:
                    // The person's other tab was handed the same item (their held lease) and submitted it first.
                    run.Conflicts.Add((person.UserId, itemId));
                    break;
                default:
                    run.Errors.Add($"POST annotation {itemId} for {person.Email}: {(int)submit.StatusCode} {await submit.Content.ReadAsStringAsync()}");
                    break;
            }

            Interlocked.Increment(ref run.Rounds);
            await Task.Delay(think);
        }
    }

    private static async Task<int> VerifyAsync(IDbContextFactory<LabelBenchDbContext> factory, long projectId, Run run, bool drained)
    {
        await using var db = await factory.CreateDbContextAsync();
        var overlap = await db.Projects.Where(p => p.Id == projectId).Select(p => p.Overlap).SingleAsync();
        var failures = 0;
        void Check(bool ok, string what)
        {
            Console.WriteLine($"- project {projectId}: {(ok ? "ok" : "FAILED")}: {what}");
            failures += ok ? 0 : 1;
        }

        // Counters against rows, and the overlap, for every item of the project (correlated counts on the unique indexes).
        var wrong = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending)
            .Select(i => new
            {
                i.Id,
                i.SubmittedCount,
                i.AssignedCount,
                Target = overlap + i.ExtraOverlap,
                Submitted = db.Annotations.Count(a => a.ItemId == i.Id && a.Status == AnnotationStatus.Submitted),
                People = db.Annotations.Where(a => a.ItemId == i.Id && a.Status == AnnotationStatus.Submitted).Select(a => a.UserId).Distinct().Count(),
                Assigned = db.Assignments.Count(a => a.ItemId == i.Id),
            })
            .Where(x => x.Submitted != x.SubmittedCount || x.Assigned != x.AssignedCount || x.Submitted > x.Target || x.People != x.Submitted
                || (drained && x.Submitted != overlap))
            .Take(10).ToListAsync();
        Check(wrong.Count == 0, drained
            ? $"every item has exactly {overlap} annotations from {overlap} distinct people, counters match the rows{Sample(wrong.Select(w => $"{w}"))}"
            : $"no item has more annotations than its target or two from one person; counters match the rows{Sample(wrong.Select(w => $"{w}"))}");

        var stored = (await db.Annotations.AsNoTracking().Where(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted)
            .Select(a => new { a.UserId, a.ItemId }).ToListAsync()).Select(a => (a.UserId, a.ItemId)).ToHashSet();
        var lost = run.Created.Where(c => !stored.Contains((c.User, c.Item))).ToList();
        Check(lost.Count == 0, $"all {run.Created.Count:N0} submissions answered 201 are stored{Sample(lost.Select(l => $"{l.User} item {l.Item}"))}");
        var twice = run.Created.GroupBy(c => (c.User, c.Item)).Where(g => g.Count() > 1).ToList();
        Check(twice.Count == 0, $"no one's submission of an item was accepted twice{Sample(twice.Select(g => $"{g.Key}"))}");
        var strayConflicts = run.Conflicts.Where(c => !stored.Contains(c)).ToList();
        Check(strayConflicts.Count == 0, $"each of the {run.Conflicts.Count} conflicts (409) was a second tab's: its person's annotation is stored{Sample(strayConflicts.Select(c => $"{c}"))}");
        var submittedAt = run.Created.ToDictionary(c => (c.User, c.Item), c => c.At);
        var again = run.Handed.Where(h => submittedAt.TryGetValue((h.User, h.Item), out var at) && h.At > at).ToList();
        Check(again.Count == 0, $"nobody was handed an item after submitting it ({run.Handed.Count:N0} items handed out){Sample(again.Select(a => $"{a}"))}");
        var leases = await db.Assignments.CountAsync(a => a.ProjectId == projectId && a.State == AssignmentState.Leased);
        Check(leases == 0, $"no lease left behind ({leases})");
        return failures;
    }

    private static string Sample(IEnumerable<string> problems)
    {
        var list = problems.Take(5).ToList();
        return list.Count == 0 ? string.Empty : " — e.g. " + string.Join("; ", list);
    }
}
