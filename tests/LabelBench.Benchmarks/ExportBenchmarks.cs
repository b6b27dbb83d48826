using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LabelBench.Core.Export;
using LabelBench.Core.Schemas;

namespace LabelBench.Benchmarks;

/// <summary>
/// The exporters alone over 1,000,000 annotations (500,000 items × 2 annotators) generated on the fly, written to
/// <see cref="Stream.Null"/>: how fast JSONL and CSV serialise, and what they allocate. The database side is measured
/// end to end by export-e2e.sh.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ExportBenchmarks
{
    /// <summary>Three measured runs after one warm-up, in this process (no generated project to build).</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    public const int Items = 500_000;

    private static readonly LabelSchema Schema = LabelSchemaJson.Parse("""
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "negative", "neutral"]}]}
        """).Value!;

    private static readonly string[] Labels = ["positive", "negative", "neutral"];

    [Params(ExportSource.All, ExportSource.Final)]
    public ExportSource Source { get; set; }

    [Benchmark]
    public Task<int> Jsonl() => JsonlExporter.WriteAsync(Generate(), Stream.Null, new ExportOptions { Source = Source, Schema = Schema });

    [Benchmark]
    public Task<int> Csv() => CsvExporter.WriteAsync(Generate(), Stream.Null, new ExportOptions { Source = Source, Schema = Schema, OneRowPerAnnotation = true });

    /// <summary>
    /// Items as the database layer builds them: data and results as stored text (results with the same text share
    /// one <see cref="StoredJson"/>, as in the export), two submitted annotations each, a final label.
    /// </summary>
    private static async IAsyncEnumerable<ExportItem> Generate()
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var results = Labels.Select(l => new StoredJson($$"""{"sentiment":"{{l}}"}""")).ToArray();
        var finals = Labels.Select(l => new JsonObject { ["sentiment"] = l }).ToArray();
        for (var i = 1; i <= Items; i++)
        {
            var data = new StoredJson($$"""{"text":"Review number {{i}}: the kettle arrived on time and works, mostly."}""");
            var a = new ExportAnnotation(2L * i, "annotator-3f9a2c", 1, "submitted", results[i % 3], 1200, at.AddSeconds(i));
            var b = new ExportAnnotation((2L * i) + 1, "annotator-0b1c2d", 1, "submitted", results[i % 3], 900, at.AddSeconds(i + 1));
            yield return new ExportItem(i, $"review-{i}", data, i % 10 == 0 ? "test" : "train", [a, b], finals[i % 3], FinalSources.Agreement);
            if (i % 10_000 == 0)
            {
                await Task.Yield();
            }
        }
    }
}
