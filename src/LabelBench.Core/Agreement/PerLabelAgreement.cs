namespace LabelBench.Core.Agreement;

/// <summary>Per-label breakdown: specific agreement and binary (label-vs-rest) Krippendorff's alpha for every label, in one pass.</summary>
public static class PerLabelAgreement
{
    public static IReadOnlyList<LabelAgreement> Compute(JudgementSet set)
    {
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements("per-label agreement");
        }

        var l = set.LabelCount;
        var countOfLabel = new int[l];
        var totals = new long[l];
        var sameCoincidences = new double[l];  // o_ll of the binary coincidence matrix
        var crossCoincidences = new double[l]; // o_l,rest
        long n = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            var m = labels.Length;
            if (m < 2)
            {
                continue;
            }

            n += m;
            foreach (var label in labels)
            {
                countOfLabel[label]++;
            }

            // Only labels present on the unit have non-zero terms, so the pass is O(judgements), not O(units × labels).
            foreach (var label in labels)
            {
                var c = countOfLabel[label];
                if (c == 0)
                {
                    continue;
                }

                totals[label] += c;
                sameCoincidences[label] += (double)c * (c - 1) / (m - 1);
                crossCoincidences[label] += (double)c * (m - c) / (m - 1);
                countOfLabel[label] = 0;
            }
        }

        if (n == 0)
        {
            throw new AgreementException("per-label agreement: no item has two or more judgements, so there is nothing to compare");
        }

        var result = new LabelAgreement[l];
        for (var c = 0; c < l; c++)
        {
            var inLabel = totals[c];
            var specific = inLabel == 0 ? double.NaN : sameCoincidences[c] / inLabel;

            // Binary alpha: 1 − (n − 1)·(o_lr + o_rl) / (2·n_l·n_rest), and o_lr = o_rl.
            var alpha = inLabel == 0 || inLabel == n
                ? double.NaN
                : 1 - ((n - 1) * crossCoincidences[c] / ((double)inLabel * (n - inLabel)));
            result[c] = new LabelAgreement(set.Labels[c], (int)inLabel, specific, alpha);
        }

        return result;
    }
}
