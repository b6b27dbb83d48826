namespace LabelBench.Core.Agreement;

/// <summary>Share of agreeing pairs of judgements on an item, averaged over the items with two or more judgements.</summary>
public static class PercentAgreement
{
    public static AgreementResult Compute(JudgementSet set)
    {
        const string Metric = AgreementMetrics.PercentAgreement;
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements(Metric);
        }

        var countOfLabel = new int[set.LabelCount];
        var sum = 0.0;
        var items = 0;
        var judgements = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            var m = labels.Length;
            if (m < 2)
            {
                continue;
            }

            sum += (double)AgreeingPairs(labels, countOfLabel) / ((long)m * (m - 1) / 2);
            items++;
            judgements += m;
        }

        if (items == 0)
        {
            throw new AgreementException($"{Metric}: no item has two or more judgements, so there is nothing to compare");
        }

        var value = sum / items;
        return new AgreementResult(Metric, value, items, set.CountAnnotatorsOnItemsWith(2), judgements)
        {
            ObservedAgreement = value,
        };
    }

    /// <summary>
    /// Pairs of equal labels among <paramref name="labels"/>: each judgement agrees with every earlier one of its label.
    /// <paramref name="countOfLabel"/> is scratch space, all zero on entry and on exit.
    /// </summary>
    internal static long AgreeingPairs(ReadOnlySpan<int> labels, int[] countOfLabel)
    {
        long pairs = 0;
        foreach (var label in labels)
        {
            pairs += countOfLabel[label]++;
        }

        foreach (var label in labels)
        {
            countOfLabel[label] = 0;
        }

        return pairs;
    }
}
