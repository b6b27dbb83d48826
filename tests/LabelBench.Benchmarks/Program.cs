using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(LabelBench.Benchmarks.ExportBenchmarks).Assembly).Run(args);
