namespace LabelBench.Core.Agreement;

/// <summary>Accuracy of each annotator on gold items (items whose correct label is known), with label comparison by ordinal string equality.</summary>
public static class GoldAccuracy
{
    /// <param name="gold">Item id → correct label. Gold items nobody judged are counted but do not affect accuracy.</param>
    public static GoldAccuracyResult Compute(JudgementSet set, IReadOnlyDictionary<string, string> gold)
    {
        ArgumentNullException.ThrowIfNull(gold);
        var judged = new int[set.AnnotatorCount];
        var correct = new int[set.AnnotatorCount];
        var goldItemsJudged = new HashSet<string>(StringComparer.Ordinal);
        for (var u = 0; u < set.ItemCount; u++)
        {
            if (!gold.TryGetValue(set.Items[u], out var goldLabel))
            {
                continue;
            }

            var annotators = set.AnnotatorsOf(u);
            var labels = set.LabelsOf(u);
            if (annotators.Length > 0)
            {
                goldItemsJudged.Add(set.Items[u]);
            }

            var goldIndex = set.IndexOfLabel(goldLabel);
            for (var k = 0; k < annotators.Length; k++)
            {
                judged[annotators[k]]++;
                if (labels[k] == goldIndex)
                {
                    correct[annotators[k]]++;
                }
            }
        }

        var perAnnotator = new AnnotatorAccuracy[set.AnnotatorCount];
        for (var a = 0; a < perAnnotator.Length; a++)
        {
            perAnnotator[a] = new AnnotatorAccuracy(
                set.Annotators[a], judged[a], correct[a], judged[a] == 0 ? null : (double)correct[a] / judged[a]);
        }

        var allJudged = judged.Sum();
        return new GoldAccuracyResult(
            perAnnotator, gold.Count, goldItemsJudged.Count, allJudged == 0 ? null : (double)correct.Sum() / allJudged);
    }
}
