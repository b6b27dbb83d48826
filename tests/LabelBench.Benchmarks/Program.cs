using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/LabelBench.Benchmarks -- --filter '*'   (see README.md for the figures)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
