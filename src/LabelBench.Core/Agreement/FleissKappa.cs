namespace LabelBench.Core.Agreement;

/// <summary>
/// Fleiss' kappa: chance-corrected agreement for any number of annotators when every item has the same number of
/// judgements (the annotators may differ from item to item). Items nobody judged are left out.
/// </summary>
public static class FleissKappa
{
    public static AgreementResult Compute(JudgementSet set)
    {
        const string Metric = AgreementMetrics.FleissKappa;
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements(Metric);
        }

        var n = CommonJudgementCount(set, Metric);
        if (n < 2)
        {
            throw new AgreementException(
                $"{Metric} needs at least two judgements per item, but every item has {n}; collect more judgements per item");
        }

        var countOfLabel = new int[set.LabelCount];
        var labelTotals = new long[set.LabelCount];
        long agreeingPairs = 0;
        long items = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            if (labels.Length == 0)
            {
                continue;
            }

            agreeingPairs += PercentAgreement.AgreeingPairs(labels, countOfLabel);
            foreach (var label in labels)
            {
                labelTotals[label]++;
            }

            items++;
        }

        // With S = Σ n_ij(n_ij − 1) = 2·agreeing pairs, P̄ = S / (N n (n − 1)) and Pe = Σ T_j² / (N n)²; then
        // κ = (S N n − (n − 1) Σ T_j²) / ((n − 1)((N n)² − Σ T_j²)), all in exact integers.
        Int128 sumSquares = 0;
        foreach (var total in labelTotals)
        {
            sumSquares += (Int128)total * total;
        }

        Int128 s = 2 * (Int128)agreeingPairs;
        Int128 judgements = (Int128)items * n;
        var result = new AgreementResult(Metric, double.NaN, (int)items, set.CountAnnotatorsOnItemsWith(1), (int)judgements)
        {
            ObservedAgreement = (double)s / (double)(judgements * (n - 1)),
            ExpectedAgreement = (double)sumSquares / (double)(judgements * judgements),
        };
        if (sumSquares == judgements * judgements)
        {
            return result with
            {
                Note = "every judgement has the same label, so chance agreement is 1 and kappa is undefined",
            };
        }

        var numerator = (s * judgements) - ((n - 1) * sumSquares);
        var denominator = (n - 1) * ((judgements * judgements) - sumSquares);
        return result with { Value = (double)numerator / (double)denominator };
    }

    /// <summary>The number of judgements every judged item has; an item that differs from the most common count is an error naming it.</summary>
    private static int CommonJudgementCount(JudgementSet set, string metric)
    {
        var itemsWithCount = new Dictionary<int, int>();
        for (var u = 0; u < set.ItemCount; u++)
        {
            var m = set.JudgementsOn(u);
            if (m > 0)
            {
                itemsWithCount[m] = itemsWithCount.GetValueOrDefault(m) + 1;
            }
        }

        // The most common count is what the project intended; ties go to the larger count.
        var common = itemsWithCount.OrderByDescending(p => p.Value).ThenByDescending(p => p.Key).First();
        if (itemsWithCount.Count == 1)
        {
            return common.Key;
        }

        for (var u = 0; u < set.ItemCount; u++)
        {
            var m = set.JudgementsOn(u);
            if (m > 0 && m != common.Key)
            {
                var others = itemsWithCount.Where(p => p.Key != common.Key).Sum(p => p.Value);
                throw new AgreementException(
                    $"{metric} needs the same number of judgements on every item: item '{set.Items[u]}' has {m}, " +
                    $"but {common.Value} item(s) have {common.Key} ({others} item(s) differ); " +
                    "use krippendorff-alpha, which allows missing judgements");
            }
        }

        return common.Key;
    }
}
