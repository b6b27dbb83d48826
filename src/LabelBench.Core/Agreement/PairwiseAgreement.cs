namespace LabelBench.Core.Agreement;

/// <summary>Per-annotator-pair breakdown: percent agreement and Cohen's kappa for every pair of annotators with enough shared items.</summary>
public static class PairwiseAgreement
{
    public const int DefaultMinimumSharedItems = 2;

    /// <summary>Pairs in annotator order (first appearance); a pair sharing fewer than <paramref name="minimumSharedItems"/> items is left out.</summary>
    public static IReadOnlyList<AnnotatorPairAgreement> Compute(JudgementSet set, int minimumSharedItems = DefaultMinimumSharedItems)
    {
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements("pairwise agreement");
        }

        var a = set.AnnotatorCount;
        var l = set.LabelCount;
        var (itemsOf, labelsOf, start) = ByAnnotator(set);

        // One annotator at a time keeps memory at O(annotators × labels) however many pairs there are.
        var shared = new int[a];
        var agreements = new int[a];
        var firstMarginals = new int[a * l];
        var secondMarginals = new int[a * l];
        var partners = new List<int>();
        var result = new List<AnnotatorPairAgreement>();
        for (var first = 0; first < a; first++)
        {
            partners.Clear();
            for (var p = start[first]; p < start[first + 1]; p++)
            {
                var item = itemsOf[p];
                var label = labelsOf[p];
                var annotators = set.AnnotatorsOf(item);
                var labels = set.LabelsOf(item);
                for (var k = annotators.Length - 1; k >= 0 && annotators[k] > first; k--)
                {
                    var second = annotators[k];
                    if (shared[second]++ == 0)
                    {
                        partners.Add(second);
                    }

                    if (labels[k] == label)
                    {
                        agreements[second]++;
                    }

                    firstMarginals[(second * l) + label]++;
                    secondMarginals[(second * l) + labels[k]]++;
                }
            }

            partners.Sort();
            foreach (var second in partners)
            {
                var n = shared[second];
                if (n >= minimumSharedItems)
                {
                    long chance = 0;
                    for (var c = 0; c < l; c++)
                    {
                        chance += (long)firstMarginals[(second * l) + c] * secondMarginals[(second * l) + c];
                    }

                    var nn = (long)n * n;
                    var kappa = chance == nn ? double.NaN : (((double)agreements[second] * n) - chance) / (nn - chance);
                    result.Add(new AnnotatorPairAgreement(
                        set.Annotators[first], set.Annotators[second], n, (double)agreements[second] / n, kappa));
                }

                shared[second] = agreements[second] = 0;
                Array.Clear(firstMarginals, second * l, l);
                Array.Clear(secondMarginals, second * l, l);
            }
        }

        return result;
    }

    /// <summary>Each annotator's (item, label) judgements, grouped by annotator.</summary>
    private static (int[] Items, int[] Labels, int[] Start) ByAnnotator(JudgementSet set)
    {
        var start = new int[set.AnnotatorCount + 1];
        for (var annotator = 0; annotator < set.AnnotatorCount; annotator++)
        {
            start[annotator + 1] = start[annotator] + set.JudgementsBy(annotator);
        }

        var next = start[..^1];
        var items = new int[set.JudgementCount];
        var labels = new int[set.JudgementCount];
        for (var u = 0; u < set.ItemCount; u++)
        {
            var annotators = set.AnnotatorsOf(u);
            var itemLabels = set.LabelsOf(u);
            for (var k = 0; k < annotators.Length; k++)
            {
                var position = next[annotators[k]]++;
                items[position] = u;
                labels[position] = itemLabels[k];
            }
        }

        return (items, labels, start);
    }
}
