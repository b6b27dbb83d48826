namespace LabelBench.Core.Agreement;

/// <summary>
/// Systematic label bias per annotator: each annotator's label distribution, their confusion matrix against the
/// consensus of the others (majority of the other judgements on an item; items where the others tie or nobody
/// else judged are left out), and a flag per label where they deviate systematically.
/// </summary>
/// <remarks>
/// The rule: for annotator a and label l over the compared items, b = times a said l where the consensus did not,
/// c = times the consensus said l where a did not. Under "no bias" b and c are equally likely, so the exact two-sided
/// McNemar (binomial, p = ½) test applies to these paired judgements. A label is flagged when
/// p &lt; significance / number of labels (Bonferroni over labels) and |b − c| / compared items ≥ the minimum share
/// difference, so that large projects do not flag differences too small to matter. An annotator is flagged when any label is.
/// </remarks>
public static class AnnotatorBias
{
    public const double DefaultSignificance = 0.01;
    public const double DefaultMinimumShareDifference = 0.05;

    public static AnnotatorBiasReport Analyse(
        JudgementSet set, double significance = DefaultSignificance, double minimumShareDifference = DefaultMinimumShareDifference)
    {
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements("annotator bias");
        }

        var l = set.LabelCount;
        var labelCounts = new int[set.AnnotatorCount][];
        var confusion = new int[set.AnnotatorCount][];
        for (var a = 0; a < set.AnnotatorCount; a++)
        {
            labelCounts[a] = new int[l];
            confusion[a] = new int[l * l];
        }

        var countOfLabel = new int[l];
        var distinct = new List<int>();
        for (var u = 0; u < set.ItemCount; u++)
        {
            var annotators = set.AnnotatorsOf(u);
            var labels = set.LabelsOf(u);
            distinct.Clear();
            foreach (var label in labels)
            {
                if (countOfLabel[label]++ == 0)
                {
                    distinct.Add(label);
                }
            }

            for (var k = 0; k < labels.Length; k++)
            {
                labelCounts[annotators[k]][labels[k]]++;
                var consensus = ConsensusWithout(labels[k], distinct, countOfLabel);
                if (consensus >= 0)
                {
                    confusion[annotators[k]][(labels[k] * l) + consensus]++;
                }
            }

            foreach (var label in distinct)
            {
                countOfLabel[label] = 0;
            }
        }

        var profiles = new List<AnnotatorBiasProfile>();
        for (var a = 0; a < set.AnnotatorCount; a++)
        {
            if (set.JudgementsBy(a) > 0)
            {
                profiles.Add(Profile(set, a, labelCounts[a], confusion[a], significance, minimumShareDifference));
            }
        }

        return new AnnotatorBiasReport(set.Labels, profiles);
    }

    /// <summary>The label most of the other judgements chose, or -1 when the others tie or there are none.</summary>
    private static int ConsensusWithout(int own, List<int> distinct, int[] countOfLabel)
    {
        int best = -1, bestCount = 0;
        var tie = false;
        foreach (var label in distinct)
        {
            var count = countOfLabel[label] - (label == own ? 1 : 0);
            if (count > bestCount)
            {
                (best, bestCount, tie) = (label, count, false);
            }
            else if (count == bestCount && count > 0)
            {
                tie = true;
            }
        }

        return tie ? -1 : best;
    }

    private static AnnotatorBiasProfile Profile(
        JudgementSet set, int annotator, int[] labelCounts, int[] confusion, double significance, double minimumShareDifference)
    {
        var l = set.LabelCount;
        var compared = confusion.Sum();
        var deviations = new List<LabelDeviation>();
        for (var c = 0; c < l; c++)
        {
            int saidOnly = 0, consensusOnly = 0, said = 0, consensusSaid = 0;
            for (var other = 0; other < l; other++)
            {
                said += confusion[(c * l) + other];
                consensusSaid += confusion[(other * l) + c];
                if (other != c)
                {
                    saidOnly += confusion[(c * l) + other];
                    consensusOnly += confusion[(other * l) + c];
                }
            }

            var p = ExactMcNemarPValue(saidOnly, consensusOnly);
            var shareDifference = compared == 0 ? 0 : (double)(saidOnly - consensusOnly) / compared;
            var flagged = p < significance / l && Math.Abs(shareDifference) >= minimumShareDifference;
            deviations.Add(new LabelDeviation(
                set.Labels[c],
                saidOnly,
                consensusOnly,
                compared == 0 ? double.NaN : (double)said / compared,
                compared == 0 ? double.NaN : (double)consensusSaid / compared,
                p,
                flagged));
        }

        var rows = new int[l][];
        for (var c = 0; c < l; c++)
        {
            rows[c] = confusion.AsSpan(c * l, l).ToArray();
        }

        return new AnnotatorBiasProfile(
            set.Annotators[annotator], labelCounts, compared, rows, deviations, deviations.Exists(d => d.Flagged));
    }

    /// <summary>Two-sided exact McNemar p-value: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), capped at 1; summed in log space so large counts do not underflow.</summary>
    internal static double ExactMcNemarPValue(int b, int c)
    {
        var n = b + c;
        var k = Math.Min(b, c);
        if (n == 0 || k * 2 == n)
        {
            return 1;
        }

        // Terms C(n, i)/2ⁿ grow with i up to n/2, so the last one (i = k) is the largest.
        var logTerms = new double[k + 1];
        var logTerm = -n * Math.Log(2);
        logTerms[0] = logTerm;
        for (var i = 1; i <= k; i++)
        {
            logTerm += Math.Log(n - i + 1) - Math.Log(i);
            logTerms[i] = logTerm;
        }

        var largest = logTerms[k];
        double scaled = 0;
        foreach (var t in logTerms)
        {
            scaled += Math.Exp(t - largest);
        }

        return Math.Min(1, 2 * Math.Exp(largest + Math.Log(scaled)));
    }
}
