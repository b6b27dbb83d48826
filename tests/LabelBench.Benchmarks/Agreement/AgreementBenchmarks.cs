using BenchmarkDotNet.Attributes;
using LabelBench.Core.Agreement;

namespace LabelBench.Benchmarks.Agreement;

/// <summary>Metrics on 500,000 judgements (100,000 items × 5 annotators) and interval alpha on 1,000,000 units.</summary>
[MemoryDiagnoser]
public class AgreementBenchmarks
{
    private JudgementSet nominal = default!;
    private JudgementSet interval = default!;

    [GlobalSetup]
    public void Setup()
    {
        nominal = SyntheticJudgements.Nominal(100_000, 5, 4);
        interval = SyntheticJudgements.Interval(1_000_000);
    }

    [Benchmark]
    public double FleissKappa_500k() => FleissKappa.Compute(nominal).Value;

    [Benchmark]
    public double KrippendorffAlpha_Nominal_500k() => KrippendorffAlpha.Compute(nominal, MeasurementLevel.Nominal).Value;

    [Benchmark]
    public double KrippendorffAlpha_Interval_1M_units() => KrippendorffAlpha.Compute(interval, MeasurementLevel.Interval).Value;

    [Benchmark]
    public int Build_JudgementSet_500k() => SyntheticJudgements.Nominal(100_000, 5, 4).JudgementCount;

    [Benchmark]
    public int DawidSkene_500k() => DawidSkene.Aggregate(nominal).Iterations;

    [Benchmark]
    public int Dashboard_500k() => AgreementDashboardBuilder.Build(nominal, new AgreementDashboardOptions { BootstrapResamples = 50 }).Headline.Count;
}
