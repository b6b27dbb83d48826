namespace LabelBench.Core.Agreement;

/// <summary>
/// A metric computed with an integer weight per item: the value it would have on the set in which item u appears
/// <c>weights[u]</c> times. Used by the bootstrap, whose resamples are multisets of items, so a resample costs one pass
/// over the items instead of building a new judgement set.
/// </summary>
/// <param name="set">The whole set.</param>
/// <param name="weights">How many times each item (by index) is drawn; 0 leaves it out.</param>
public delegate double ItemWeightedMetric(JudgementSet set, int[] weights);

/// <summary>
/// Item-weighted forms of the headline metrics. Each equals the plain metric on the expanded multiset (exactly, up to
/// floating-point summation order); a resample that loses what a metric needs gives NaN rather than an error.
/// </summary>
public static class ItemWeightedMetrics
{
    /// <summary>Percent agreement: the weighted mean of each item's share of agreeing pairs.</summary>
    public static double PercentAgreement(JudgementSet set, int[] weights)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(weights);
        var countOfLabel = new int[set.LabelCount];
        double sum = 0;
        long items = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var w = weights[u];
            var labels = set.LabelsOf(u);
            var m = labels.Length;
            if (w == 0 || m < 2)
            {
                continue;
            }

            sum += w * ((double)Agreement.PercentAgreement.AgreeingPairs(labels, countOfLabel) / ((long)m * (m - 1) / 2));
            items += w;
        }

        return items == 0 ? double.NaN : sum / items;
    }

    /// <summary>Fleiss' kappa in exact integers, as <see cref="FleissKappa.Compute"/>; the set must have equal judgements per judged item.</summary>
    public static double FleissKappa(JudgementSet set, int[] weights)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(weights);
        var countOfLabel = new int[set.LabelCount];
        var labelTotals = new long[set.LabelCount];
        long agreeingPairs = 0;
        long items = 0;
        var n = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var w = weights[u];
            var labels = set.LabelsOf(u);
            if (w == 0 || labels.Length == 0)
            {
                continue;
            }

            if (n != 0 && labels.Length != n)
            {
                throw new AgreementException($"{AgreementMetrics.FleissKappa} needs the same number of judgements on every item");
            }

            n = labels.Length;
            agreeingPairs += w * Agreement.PercentAgreement.AgreeingPairs(labels, countOfLabel);
            foreach (var label in labels)
            {
                labelTotals[label] += w;
            }

            items += w;
        }

        if (n < 2)
        {
            return double.NaN;
        }

        Int128 sumSquares = 0;
        foreach (var total in labelTotals)
        {
            sumSquares += (Int128)total * total;
        }

        Int128 s = 2 * (Int128)agreeingPairs;
        Int128 judgements = (Int128)items * n;
        var denominator = (n - 1) * ((judgements * judgements) - sumSquares);
        return denominator == 0 ? double.NaN : (double)((s * judgements) - ((n - 1) * sumSquares)) / (double)denominator;
    }

    /// <summary>Cohen's kappa of the two annotators over the weighted items both judged (exact integer sums, as <see cref="CohenKappa.Compute(JudgementSet, KappaWeighting)"/>).</summary>
    public static double CohenKappa(JudgementSet set, int[] weights, KappaWeighting weighting = KappaWeighting.None)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(weights);
        return Agreement.CohenKappa.Compute(set, weighting, weights).Value;
    }

    /// <summary>Krippendorff's alpha at any level from the weighted coincidence matrix (see <see cref="KrippendorffAlpha.FromCoincidences"/>).</summary>
    public static double KrippendorffAlpha(JudgementSet set, int[] weights, MeasurementLevel level)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(weights);
        var matrix = CoincidenceMatrix.Build(set, weights);
        return matrix.Units == 0 ? double.NaN : Agreement.KrippendorffAlpha.FromCoincidences(matrix, level);
    }
}
