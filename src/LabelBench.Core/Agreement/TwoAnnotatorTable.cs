namespace LabelBench.Core.Agreement;

/// <summary>The contingency table of exactly two annotators over the items both judged, shared by Cohen's kappa and Scott's pi.</summary>
internal sealed class TwoAnnotatorTable
{
    private TwoAnnotatorTable(int labelCount, int first, int second)
    {
        LabelCount = labelCount;
        First = first;
        Second = second;
        Counts = new long[labelCount * labelCount];
        RowTotals = new long[labelCount];
        ColumnTotals = new long[labelCount];
    }

    public int LabelCount { get; }

    /// <summary>The annotator whose labels are the rows (the one seen first).</summary>
    public int First { get; }

    public int Second { get; }

    /// <summary>Counts[row * LabelCount + column]: items the first annotator labelled row and the second column.</summary>
    public long[] Counts { get; }

    public long[] RowTotals { get; }

    public long[] ColumnTotals { get; }

    /// <summary>Items judged by both.</summary>
    public long Items { get; private set; }

    public long Agreements { get; private set; }

    /// <param name="itemWeights">How many times each item counts (null: once each), for the bootstrap.</param>
    public static TwoAnnotatorTable Build(JudgementSet set, string metric, int[]? itemWeights = null)
    {
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements(metric);
        }

        var active = set.ActiveAnnotators();
        if (active.Count != 2)
        {
            throw new AgreementException(
                $"{metric} compares exactly two annotators, but the judgements come from {active.Count}: " +
                $"{set.NameAnnotators(active)}; use fleiss-kappa or krippendorff-alpha for more than two");
        }

        var table = new TwoAnnotatorTable(set.LabelCount, active[0], active[1]);
        var l = set.LabelCount;
        for (var u = 0; u < set.ItemCount; u++)
        {
            // Only two annotators have judgements and annotators are sorted within an item, so a pair is (first, second).
            var labels = set.LabelsOf(u);
            var w = itemWeights is null ? 1 : itemWeights[u];
            if (labels.Length != 2 || w == 0)
            {
                continue;
            }

            var row = labels[0];
            var column = labels[1];
            table.Counts[(row * l) + column] += w;
            table.RowTotals[row] += w;
            table.ColumnTotals[column] += w;
            table.Items += w;
            if (row == column)
            {
                table.Agreements += w;
            }
        }

        if (table.Items == 0)
        {
            throw new AgreementException(
                $"{metric}: annotators '{set.Annotators[active[0]]}' and '{set.Annotators[active[1]]}' have no item that both judged");
        }

        return table;
    }
}
