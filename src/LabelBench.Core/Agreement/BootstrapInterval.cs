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
        if (resamples < 1)
        {
            throw new AgreementException($"the bootstrap needs at least one resample, not {resamples}");
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new AgreementException($"the confidence level must lie between 0 and 1 (e.g. 0.95), not {confidence}");
        }

        var estimate = metric(set);

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
                value = metric(set.SelectItems(draw));
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
