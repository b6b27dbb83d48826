namespace LabelBench.Core.Agreement;

/// <summary>
/// Krippendorff's alpha for any number of annotators with missing data, at the nominal, ordinal, interval or ratio level:
/// α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck over the coincidence matrix o of pairable values
/// (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). Units with fewer than two values are not pairable
/// and are dropped.
/// </summary>
/// <remarks>
/// The sums over the coincidence matrix are taken without materialising it: o_ck is a sum of per-unit terms, so each
/// unit contributes its share directly. Memory is O(labels), time O(judgements) (ratio: plus O(distinct values²)).
/// <see cref="FromCoincidences"/> is the textbook computation over an explicit <see cref="CoincidenceMatrix"/>.
/// </remarks>
public static class KrippendorffAlpha
{
    private const string Metric = AgreementMetrics.KrippendorffAlpha;

    public static AgreementResult Compute(JudgementSet set, MeasurementLevel level = MeasurementLevel.Nominal)
    {
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements(Metric);
        }

        RequireValuesFor(set, level);

        // n_c: how often each value occurs among pairable values (units with two or more values).
        var valueTotals = new long[set.LabelCount];
        long n = 0;
        var units = 0;
        var maxPerUnit = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            if (labels.Length < 2)
            {
                continue;
            }

            foreach (var label in labels)
            {
                valueTotals[label]++;
            }

            n += labels.Length;
            units++;
            maxPerUnit = Math.Max(maxPerUnit, labels.Length);
        }

        if (units == 0)
        {
            throw new AgreementException(
                $"{Metric}: no item has two or more judgements, so no values can be paired; collect more judgements per item");
        }

        var (observedSum, expectedSum) = level switch
        {
            MeasurementLevel.Nominal => NominalSums(set, valueTotals, n, maxPerUnit),
            MeasurementLevel.Ordinal => SquaredDifferenceSums(set, MidRanks(valueTotals), valueTotals, n),
            MeasurementLevel.Interval => SquaredDifferenceSums(set, Values(set), valueTotals, n),
            MeasurementLevel.Ratio => RatioSums(set, Values(set), valueTotals),
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "unknown measurement level"),
        };

        var result = new AgreementResult(Metric, double.NaN, units, set.CountAnnotatorsOnItemsWith(2), (int)n)
        {
            Level = level,
            ObservedDisagreement = observedSum / n,
            ExpectedDisagreement = expectedSum / ((double)n * (n - 1)),
        };
        if (expectedSum <= 0)
        {
            return result with
            {
                Note = "all pairable values are the same, so there is no variation to assess and alpha is undefined",
            };
        }

        return result with { Value = 1 - ((n - 1) * observedSum / expectedSum) };
    }

    /// <summary>Alpha straight from a coincidence matrix, by the textbook formula; NaN when the expected disagreement is 0.</summary>
    public static double FromCoincidences(CoincidenceMatrix matrix, MeasurementLevel level)
    {
        var l = matrix.ValueCount;
        var values = matrix.NumericValues;
        if (level is MeasurementLevel.Interval or MeasurementLevel.Ratio && values is null)
        {
            throw new AgreementException($"{Metric} at the {Name(level)} level needs numeric labels");
        }

        // Ordinal: δ_ck = Σ_{g=c..k} n_g − (n_c + n_k) / 2, with the cumulative sums read from prefix totals.
        var prefix = new double[l + 1];
        for (var c = 0; c < l; c++)
        {
            prefix[c + 1] = prefix[c] + matrix.ValueTotal(c);
        }

        double Delta2(int c, int k)
        {
            switch (level)
            {
                case MeasurementLevel.Nominal:
                    return c == k ? 0 : 1;
                case MeasurementLevel.Ordinal:
                    var (lo, hi) = c <= k ? (c, k) : (k, c);
                    var d = prefix[hi + 1] - prefix[lo] - ((matrix.ValueTotal(c) + matrix.ValueTotal(k)) / 2);
                    return d * d;
                case MeasurementLevel.Interval:
                    return (values![c] - values[k]) * (values[c] - values[k]);
                default:
                    var sum = values![c] + values[k];
                    return sum == 0 ? 0 : ((values[c] - values[k]) / sum) * ((values[c] - values[k]) / sum);
            }
        }

        double observed = 0, expected = 0;
        for (var c = 0; c < l; c++)
        {
            for (var k = 0; k < l; k++)
            {
                var d2 = Delta2(c, k);
                observed += matrix[c, k] * d2;
                expected += matrix.ValueTotal(c) * matrix.ValueTotal(k) * d2;
            }
        }

        return expected == 0 ? double.NaN : 1 - ((matrix.Total - 1) * observed / expected);
    }

    internal static void RequireValuesFor(JudgementSet set, MeasurementLevel level)
    {
        if (level == MeasurementLevel.Nominal || set.IsNumeric || (level == MeasurementLevel.Ordinal && set.HasExplicitLabelOrder))
        {
            if (level == MeasurementLevel.Ratio)
            {
                var negative = Enumerable.Range(0, set.LabelCount).FirstOrDefault(c => set.LabelValue(c) < 0, -1);
                if (negative >= 0)
                {
                    throw new AgreementException(
                        $"{Metric} at the ratio level needs non-negative numbers (a ratio scale has a true zero), " +
                        $"but label '{set.Labels[negative]}' is negative; use --level interval");
                }
            }

            return;
        }

        throw new AgreementException(
            $"{Metric} at the {Name(level)} level needs numeric labels, but label '{set.NonNumericLabel}' is not a number; " +
            "use --level nominal, or number the labels");
    }

    private static string Name(MeasurementLevel level) => level.ToString().ToLowerInvariant();

    /// <summary>Σ o_ck over c ≠ k and Σ n_c n_k over c ≠ k, from disagreeing pairs per unit.</summary>
    private static (double Observed, double Expected) NominalSums(JudgementSet set, long[] valueTotals, long n, int maxPerUnit)
    {
        // A unit with m values adds 2·(disagreeing pairs)/(m − 1) to Σ_{c≠k} o_ck. Grouping by m keeps the sums exact integers
        // until one division per distinct m.
        var disagreeingPairsByUnitSize = new long[maxPerUnit + 1];
        var countOfLabel = new int[set.LabelCount];
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            var m = labels.Length;
            if (m >= 2)
            {
                disagreeingPairsByUnitSize[m] += ((long)m * (m - 1) / 2) - PercentAgreement.AgreeingPairs(labels, countOfLabel);
            }
        }

        double observed = 0;
        for (var m = 2; m <= maxPerUnit; m++)
        {
            observed += 2.0 * disagreeingPairsByUnitSize[m] / (m - 1);
        }

        Int128 sumSquares = 0;
        foreach (var total in valueTotals)
        {
            sumSquares += (Int128)total * total;
        }

        return (observed, (double)(((Int128)n * n) - sumSquares));
    }

    /// <summary>
    /// Interval metric on the given value of each label: Σ_{i≠j}(v_i − v_j)² = 2 m Σ (v_i − mean)², so each unit adds
    /// 2 m SS_u / (m − 1) to Σ o_ck δ²_ck, and Σ n_c n_k δ²_ck = 2 n Σ n_c (v_c − mean)². Centring keeps it stable.
    /// </summary>
    private static (double Observed, double Expected) SquaredDifferenceSums(JudgementSet set, double[] values, long[] valueTotals, long n)
    {
        double observed = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            var m = labels.Length;
            if (m < 2)
            {
                continue;
            }

            double sum = 0;
            foreach (var label in labels)
            {
                sum += values[label];
            }

            var mean = sum / m;
            double squares = 0;
            foreach (var label in labels)
            {
                var deviation = values[label] - mean;
                squares += deviation * deviation;
            }

            observed += 2.0 * m * squares / (m - 1);
        }

        double weighted = 0;
        for (var c = 0; c < values.Length; c++)
        {
            weighted += valueTotals[c] * values[c];
        }

        var grandMean = weighted / n;
        double totalSquares = 0;
        for (var c = 0; c < values.Length; c++)
        {
            var deviation = values[c] - grandMean;
            totalSquares += valueTotals[c] * deviation * deviation;
        }

        return (observed, 2.0 * n * totalSquares);
    }

    /// <summary>Ratio metric ((c − k)/(c + k))² does not decompose, so units add their distinct value pairs and the expectation is O(values²).</summary>
    private static (double Observed, double Expected) RatioSums(JudgementSet set, double[] values, long[] valueTotals)
    {
        static double Delta2(double c, double k)
        {
            var sum = c + k;
            if (sum == 0)
            {
                return 0;
            }

            var ratio = (c - k) / sum;
            return ratio * ratio;
        }

        var countOfLabel = new int[set.LabelCount];
        var distinct = new List<int>();
        double observed = 0;
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            var m = labels.Length;
            if (m < 2)
            {
                continue;
            }

            distinct.Clear();
            foreach (var label in labels)
            {
                if (countOfLabel[label]++ == 0)
                {
                    distinct.Add(label);
                }
            }

            double unitSum = 0;
            for (var i = 0; i < distinct.Count; i++)
            {
                for (var j = i + 1; j < distinct.Count; j++)
                {
                    var c = distinct[i];
                    var k = distinct[j];
                    unitSum += 2.0 * countOfLabel[c] * countOfLabel[k] * Delta2(values[c], values[k]);
                }
            }

            observed += unitSum / (m - 1);
            foreach (var label in distinct)
            {
                countOfLabel[label] = 0;
            }
        }

        double expected = 0;
        for (var c = 0; c < values.Length; c++)
        {
            if (valueTotals[c] == 0)
            {
                continue;
            }

            for (var k = c + 1; k < values.Length; k++)
            {
                if (valueTotals[k] != 0)
                {
                    expected += 2.0 * valueTotals[c] * valueTotals[k] * Delta2(values[c], values[k]);
                }
            }
        }

        return (observed, expected);
    }

    /// <summary>
    /// The ordinal metric is the interval metric on mid-ranks: δ_ck = Σ_{g=c..k} n_g − (n_c + n_k)/2 = r_k − r_c with
    /// r_c = Σ_{g&lt;c} n_g + n_c / 2, so ordinal alpha reuses the interval computation on r.
    /// </summary>
    private static double[] MidRanks(long[] valueTotals)
    {
        var ranks = new double[valueTotals.Length];
        double below = 0;
        for (var c = 0; c < valueTotals.Length; c++)
        {
            ranks[c] = below + (valueTotals[c] / 2.0);
            below += valueTotals[c];
        }

        return ranks;
    }

    private static double[] Values(JudgementSet set)
    {
        var values = new double[set.LabelCount];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = set.LabelValue(c);
        }

        return values;
    }
}
