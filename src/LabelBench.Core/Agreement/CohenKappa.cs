namespace LabelBench.Core.Agreement;

/// <summary>
/// Cohen's kappa for exactly two annotators over the items both judged, unweighted or with linear or quadratic
/// disagreement weights by position among the categories observed in those items (as scikit-learn's
/// <c>cohen_kappa_score</c> and R's <c>irr::kappa2</c>): κ = 1 − Σ w·O / Σ w·E.
/// </summary>
public static class CohenKappa
{
    public static AgreementResult Compute(JudgementSet set, KappaWeighting weights = KappaWeighting.None) => Compute(set, weights, null);

    /// <param name="itemWeights">How many times each item counts (null: once each); see <see cref="ItemWeightedMetrics"/>.</param>
    internal static AgreementResult Compute(JudgementSet set, KappaWeighting weights, int[]? itemWeights)
    {
        const string Metric = AgreementMetrics.CohenKappa;
        var table = TwoAnnotatorTable.Build(set, Metric, itemWeights);
        var l = table.LabelCount;

        // Weights count positions among the categories that occur in the compared items, not every label of the set.
        var observed = new List<int>();
        for (var c = 0; c < l; c++)
        {
            if (table.RowTotals[c] + table.ColumnTotals[c] > 0)
            {
                observed.Add(c);
            }
        }

        // Integer sums are exact (Int128 cannot overflow here); the only rounding is the final division.
        Int128 weightedObserved = 0;
        Int128 weightedExpected = 0;
        for (var i = 0; i < observed.Count; i++)
        {
            for (var j = 0; j < observed.Count; j++)
            {
                long weight = Weight(i, j, weights);
                if (weight == 0)
                {
                    continue;
                }

                var row = observed[i];
                var column = observed[j];
                weightedObserved += (Int128)weight * table.Counts[(row * l) + column];
                weightedExpected += (Int128)weight * table.RowTotals[row] * table.ColumnTotals[column];
            }
        }

        var n = table.Items;
        long maxWeight = Math.Max(1, Weight(0, observed.Count - 1, weights));
        var result = new AgreementResult(Metric, double.NaN, (int)n, 2, (int)(2 * n))
        {
            Weights = weights,
            ObservedAgreement = 1 - ((double)weightedObserved / ((double)n * maxWeight)),
            ExpectedAgreement = 1 - ((double)weightedExpected / ((double)n * n * maxWeight)),
        };
        if (weightedExpected == 0)
        {
            return result with
            {
                Note = "both annotators used one and the same label throughout, so chance agreement is 1 and kappa is undefined",
            };
        }

        return result with { Value = 1 - ((double)(weightedObserved * n) / (double)weightedExpected) };
    }

    private static int Weight(int i, int j, KappaWeighting weights) => weights switch
    {
        KappaWeighting.None => i == j ? 0 : 1,
        KappaWeighting.Linear => Math.Abs(i - j),
        KappaWeighting.Quadratic => (i - j) * (i - j),
        _ => throw new ArgumentOutOfRangeException(nameof(weights), weights, "unknown weighting"),
    };
}
