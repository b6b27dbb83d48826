using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class BootstrapIntervalTests
{
    private static JudgementSet NoisyPair(int items, int seed)
    {
        var random = new Random(seed);
        var builder = new JudgementSetBuilder();
        for (var i = 0; i < items; i++)
        {
            var truth = random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            builder.Add($"i{i}", "a", truth);
            builder.Add($"i{i}", "b", random.NextDouble() < 0.8 ? truth : random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.Build();
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        var set = NoisyPair(200, 1);

        var one = BootstrapInterval.Compute(set, s => CohenKappa.Compute(s).Value, new Random(42), resamples: 300);
        var two = BootstrapInterval.Compute(set, s => CohenKappa.Compute(s).Value, new Random(42), resamples: 300);

        Assert.Equal(one, two);
        Assert.True(one.Lower < one.Estimate && one.Estimate < one.Upper);
        Assert.Equal(CohenKappa.Compute(set).Value, one.Estimate);
        Assert.Equal((300, 0, 0.95), (one.Resamples, one.UndefinedResamples, one.Confidence));
    }

    [Fact]
    public void The_interval_narrows_with_more_items()
    {
        static double Width(ConfidenceInterval ci) => ci.Upper - ci.Lower;

        var small = BootstrapInterval.Compute(NoisyPair(100, 2), s => PercentAgreement.Compute(s).Value, new Random(7), resamples: 400);
        var large = BootstrapInterval.Compute(NoisyPair(2500, 2), s => PercentAgreement.Compute(s).Value, new Random(7), resamples: 400);

        Assert.True(Width(large) < Width(small) / 2);
    }

    [Fact]
    public void Perfect_agreement_has_a_degenerate_interval_and_undefined_resamples_are_counted()
    {
        var perfect = Sets.FromVectors(["a", "b", "a", "b"], ["a", "b", "a", "b"]);

        var ci = BootstrapInterval.Compute(perfect, s => CohenKappa.Compute(s).Value, new Random(3), resamples: 200);

        // A resample drawing only "a" items (or only "b" items) leaves kappa undefined.
        Assert.Equal((1.0, 1.0), (ci.Lower, ci.Upper));
        Assert.InRange(ci.UndefinedResamples, 1, 60);
    }

    [Fact]
    public void Percentiles_interpolate_linearly_like_NumPy()
    {
        List<double> sorted = [1, 2, 3, 4];

        Assert.Equal(2.5, BootstrapInterval.Percentile(sorted, 0.5));
        Assert.Equal(1.075, BootstrapInterval.Percentile(sorted, 0.025), 12);
        Assert.Equal(4, BootstrapInterval.Percentile(sorted, 1));
    }
}
