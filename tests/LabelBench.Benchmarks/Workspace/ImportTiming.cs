using System.Diagnostics;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Benchmarks.Workspace;

/// <summary>
/// <c>import</c>: one file through <see cref="ImportService"/> in this process, for profiling the import pipeline
/// (<c>--sql</c> logs every command EF Core runs, with its duration). import-e2e.sh measures the CLI end to end.
/// </summary>
internal static class ImportTiming
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var file = new FileInfo(args.Text("file"));
        await using var services = await BenchServices.CreateAsync(args.Text("data"), args.Flag("sql"));
        var clock = Stopwatch.StartNew();
        var report = await services.GetRequiredService<ImportService>().ImportAsync(
            Caller.System, args.Long("project"), [new ImportFile(file.Name, file.Length, file.OpenRead)]);
        clock.Stop();
        Console.WriteLine($"imported {report.Imported:N0}, rejected {report.Rejected.Count:N0} in {clock.Elapsed.TotalSeconds:F1} s ({report.Imported / clock.Elapsed.TotalSeconds:N0} rows/s)");
        return report.Rejected.Count == 0 ? 0 : 1;
    }
}

/// <summary><c>read</c>: the import's file reader alone (parse, build the JSON, serialise it), for profiling.</summary>
internal static class ReadTiming
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var file = args.Text("file");
        var clock = Stopwatch.StartNew();
        var rows = 0;
        long bytes = 0;
        await using var stream = File.OpenRead(file);
        IAsyncEnumerable<LabelBench.Core.Import.ImportRow> reader = file.EndsWith(".csv", StringComparison.Ordinal)
            ? new LabelBench.Core.Import.CsvItemReader().ReadAsync(stream, file)
            : new LabelBench.Core.Import.JsonlItemReader().ReadAsync(stream, file);
        await foreach (var row in reader)
        {
            rows++;
            bytes += row.Record!.Data.ToJsonString().Length;
        }

        Console.WriteLine($"read {rows:N0} rows ({bytes:N0} chars of JSON) in {clock.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
