using BenchmarkDotNet.Running;
using LabelBench.Benchmarks.Workspace;

// Measured console modes (seeding, queue latency, REST load, import probe) run by name; anything else goes to
// BenchmarkDotNet (e.g. --filter '*ExportBenchmarks*').
Func<BenchArgs, Task<int>>? mode = args.FirstOrDefault() switch
{
    "seed" => WorkspaceSeeder.RunAsync,
    "latency" => QueueLatency.RunAsync,
    "probe" => AnnotatorProbe.RunAsync,
    "import" => ImportTiming.RunAsync,
    "read" => ReadTiming.RunAsync,
    "rest" => RestLoad.RunAsync,
    _ => null,
};
if (mode is null)
{
    BenchmarkSwitcher.FromAssembly(typeof(LabelBench.Benchmarks.ExportBenchmarks).Assembly).Run(args);
    return 0;
}

try
{
    return await mode(new BenchArgs(args.Skip(1)));
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 2;
}
