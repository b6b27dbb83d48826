namespace LabelBench.Core.Agreement;

/// <summary>
/// Majority vote per item: the most frequent label, confidence = its share of the item's judgements. Ties go to the
/// label that comes first in label order, so the result never depends on input order. Items nobody judged are left out.
/// </summary>
public static class MajorityVote
{
    public static IReadOnlyList<AggregatedLabel> Aggregate(JudgementSet set)
    {
        var result = new List<AggregatedLabel>(set.ItemCount);
        var countOfLabel = new int[set.LabelCount];
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            if (labels.Length == 0)
            {
                continue;
            }

            var (winner, votes) = Winner(labels, countOfLabel);
            result.Add(new AggregatedLabel(set.Items[u], set.Labels[winner], (double)votes / labels.Length, labels.Length));
        }

        return result;
    }

    /// <summary>The most frequent label (lowest index on ties) and its count; <paramref name="countOfLabel"/> is zero on entry and exit.</summary>
    internal static (int Label, int Votes) Winner(ReadOnlySpan<int> labels, int[] countOfLabel)
    {
        foreach (var label in labels)
        {
            countOfLabel[label]++;
        }

        int winner = -1, votes = 0;
        foreach (var label in labels)
        {
            var count = countOfLabel[label];
            if (count > votes || (count == votes && label < winner))
            {
                (winner, votes) = (label, count);
            }
        }

        foreach (var label in labels)
        {
            countOfLabel[label] = 0;
        }

        return (winner, votes);
    }
}
