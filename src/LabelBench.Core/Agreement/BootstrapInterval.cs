namespace LabelBench.Core.Agreement;

/// <summary>
/// Bootstrap confidence intervals over items for any item-level metric: resample the judged items with replacement
/// (a seeded <see cref="Random"/> makes it reproducible), compute the metric on each resample, take percentiles.
/// </summary>
public static class BootstrapInterval
{
    public const int DefaultResamples = 1000;
    public const double DefaultConfidence = 0.95;

    /// <param name="metric">Computes the value of one set, e.g. <c>s => CohenKappa.Compute(s).Value</c>.</param>
    /// <param name="random">The source of resampling; pass <c>new Random(seed)</c> for reproducible intervals.</param>
    public static ConfidenceInterval Compute(
        JudgementSet set,
        Func<JudgementSet, double> metric,
        Random random,
        int resamples = DefaultResamples,
        double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(random);
        Validate(resamples, confidence);
        var estimate = metric(set);
        return Resample(set, estimate, random, resamples, confidence, draw => metric(set.SelectItems(draw)));
    }

    /// <summary>
    /// The same interval for a metric that takes item weights: each resample is the multiset of drawn items, given to
    /// <paramref name="weighted"/> as how many times each item was drawn, so no resampled set is built. With the same
    /// <paramref name="random"/> it draws the same items as the overload above, so both give the same interval.
    /// </summary>
    /// <param name="metric">The value on the whole set (the estimate).</param>
    /// <param name="weighted">The value on a resample, e.g. <see cref="ItemWeightedMetrics.PercentAgreement"/>.</param>
    public static ConfidenceInterval Compute(
        JudgementSet set,
        Func<JudgementSet, double> metric,
        ItemWeightedMetric weighted,
        Random random,
        int resamples = DefaultResamples,
        double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(weighted);
        ArgumentNullException.ThrowIfNull(random);
        Validate(resamples, confidence);
        var estimate = metric(set);
        var weights = new int[set.ItemCount];
        return Resample(set, estimate, random, resamples, confidence, draw =>
        {
            Array.Clear(weights);
            foreach (var item in draw)
            {
                weights[item]++;
            }

            return weighted(set, weights);
        });
    }

    private static void Validate(int resamples, double confidence)
    {
        if (resamples < 1)
        {
            throw new AgreementException($"the bootstrap needs at least one resample, not {resamples}");
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new AgreementException($"the confidence level must lie between 0 and 1 (e.g. 0.95), not {confidence}");
        }
    }

    private static ConfidenceInterval Resample(
        JudgementSet set, double estimate, Random random, int resamples, double confidence, Func<int[], double> valueOf)
    {
        // Items nobody judged carry no information; resampling them would only shrink the effective sample.
        var judged = Enumerable.Range(0, set.ItemCount).Where(u => set.JudgementsOn(u) > 0).ToArray();
        if (judged.Length == 0)
        {
            throw AgreementException.NoJudgements("bootstrap");
        }

        var draw = new int[judged.Length];
        var values = new List<double>(resamples);
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < draw.Length; i++)
            {
                draw[i] = judged[random.Next(judged.Length)];
            }

            double value;
            try
            {
                value = valueOf(draw);
            }
            catch (AgreementException)
            {
                // A resample can lose what the metric needs (e.g. every shared item); it has no value rather than failing the interval.
                value = double.NaN;
            }

            if (!double.IsNaN(value))
            {
                values.Add(value);
            }
        }

        values.Sort();
        var tail = (1 - confidence) / 2;
        return new ConfidenceInterval(
            estimate, Percentile(values, tail), Percentile(values, 1 - tail), confidence, resamples, resamples - values.Count);
    }

    /// <summary>Linear interpolation between order statistics (NumPy's default, Hyndman–Fan type 7).</summary>
    internal static double Percentile(List<double> sorted, double probability)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var position = probability * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
