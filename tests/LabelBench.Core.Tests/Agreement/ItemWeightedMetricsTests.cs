using System.Globalization;
using LabelBench.Core.Agreement;
using LabelBench.Tests.Shared;

namespace LabelBench.Core.Tests.Agreement;

public class ItemWeightedMetricsTests
{
    /// <summary>Three to five annotators per item out of eight, ordinal ratings 1–5, some items judged once.</summary>
    private static JudgementSet Ratings(int items, int seed, int perItem = -1)
    {
        var random = new Random(seed);
        var builder = new JudgementSetBuilder();
        for (var i = 0; i < items; i++)
        {
            var truth = random.Next(1, 6);
            var count = perItem > 0 ? perItem : random.Next(1, 6);
            foreach (var annotator in Enumerable.Range(0, 8).OrderBy(_ => random.Next()).Take(count))
            {
                var value = random.NextDouble() < 0.7 ? truth : Math.Clamp(truth + random.Next(-2, 3), 1, 5);
                builder.Add($"i{i}", $"a{annotator}", value.ToString(CultureInfo.InvariantCulture));
            }
        }

        return builder.Build();
    }

    private static int[] RandomWeights(JudgementSet set, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, set.ItemCount).Select(_ => random.Next(0, 4))];
    }

    /// <summary>The multiset the weights describe, as a plain set: item u repeated weights[u] times.</summary>
    private static JudgementSet Expand(JudgementSet set, int[] weights) =>
        set.SelectItems([.. Enumerable.Range(0, set.ItemCount).SelectMany(u => Enumerable.Repeat(u, weights[u]))]);

    [Theory]
    [InlineData(MeasurementLevel.Nominal)]
    [InlineData(MeasurementLevel.Ordinal)]
    [InlineData(MeasurementLevel.Interval)]
    [InlineData(MeasurementLevel.Ratio)]
    public void Weighted_alpha_equals_alpha_on_the_expanded_items(MeasurementLevel level)
    {
        var set = Ratings(300, 1);
        var weights = RandomWeights(set, 2);

        Assert.Equal(KrippendorffAlpha.Compute(Expand(set, weights), level).Value, ItemWeightedMetrics.KrippendorffAlpha(set, weights, level), 12);
    }

    [Fact]
    public void Weighted_percent_agreement_and_fleiss_kappa_equal_the_plain_metrics_on_the_expanded_items()
    {
        var uneven = Ratings(300, 3);
        var even = Ratings(300, 4, perItem: 4);
        var weights = RandomWeights(uneven, 5);

        Assert.Equal(PercentAgreement.Compute(Expand(uneven, weights)).Value, ItemWeightedMetrics.PercentAgreement(uneven, weights), 12);
        Assert.Equal(FleissKappa.Compute(Expand(even, weights)).Value, ItemWeightedMetrics.FleissKappa(even, weights), 12);
    }

    [Theory]
    [InlineData(KappaWeighting.None)]
    [InlineData(KappaWeighting.Linear)]
    [InlineData(KappaWeighting.Quadratic)]
    public void Weighted_cohen_kappa_equals_kappa_on_the_expanded_items(KappaWeighting weighting)
    {
        var pair = AgreementReferences.ToSet(AgreementReferences.Named("cohen-irr-anxiety").Judgements);
        var weights = RandomWeights(pair, 8);

        Assert.Equal(CohenKappa.Compute(Expand(pair, weights), weighting).Value, ItemWeightedMetrics.CohenKappa(pair, weights, weighting), 12);
    }

    [Fact]
    public void Unit_weights_reproduce_the_published_values()
    {
        var krippendorff = AgreementReferences.ToSet(AgreementReferences.Krippendorff2011());
        var fleiss = AgreementReferences.ToSet(AgreementReferences.Named("fleiss-wikipedia").Judgements);
        int[] Ones(JudgementSet s) => [.. Enumerable.Repeat(1, s.ItemCount)];

        Assert.Equal(113.0 / 152, ItemWeightedMetrics.KrippendorffAlpha(krippendorff, Ones(krippendorff), MeasurementLevel.Nominal), 12);
        Assert.Equal(108577.0 / 133160, ItemWeightedMetrics.KrippendorffAlpha(krippendorff, Ones(krippendorff), MeasurementLevel.Ordinal), 12);
        Assert.Equal(4211.0 / 20059, ItemWeightedMetrics.FleissKappa(fleiss, Ones(fleiss)), 15);
    }

    [Fact]
    public void A_resample_without_pairable_items_has_no_value()
    {
        var set = Ratings(50, 6);
        var onlySingles = Enumerable.Range(0, set.ItemCount).Select(u => set.JudgementsOn(u) == 1 ? 1 : 0).ToArray();

        Assert.True(double.IsNaN(ItemWeightedMetrics.PercentAgreement(set, onlySingles)));
        Assert.True(double.IsNaN(ItemWeightedMetrics.KrippendorffAlpha(set, onlySingles, MeasurementLevel.Nominal)));
    }

    [Fact]
    public void The_weighted_bootstrap_draws_the_same_resamples_and_gives_the_same_interval()
    {
        var set = Ratings(400, 7);

        var bySets = BootstrapInterval.Compute(set, s => KrippendorffAlpha.Compute(s, MeasurementLevel.Ordinal).Value, new Random(11), resamples: 100);
        var byWeights = BootstrapInterval.Compute(
            set,
            s => KrippendorffAlpha.Compute(s, MeasurementLevel.Ordinal).Value,
            (s, w) => ItemWeightedMetrics.KrippendorffAlpha(s, w, MeasurementLevel.Ordinal),
            new Random(11),
            resamples: 100);

        Assert.Equal(bySets.Estimate, byWeights.Estimate);
        Assert.Equal(bySets.Lower, byWeights.Lower, 12);
        Assert.Equal(bySets.Upper, byWeights.Upper, 12);
        Assert.True(byWeights.Lower < byWeights.Estimate && byWeights.Estimate < byWeights.Upper);
    }
}
