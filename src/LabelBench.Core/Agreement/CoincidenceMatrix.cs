namespace LabelBench.Core.Agreement;

/// <summary>
/// Krippendorff's coincidence matrix: o_ck sums, over units with m ≥ 2 values, the ordered pairs of values (c, k) from
/// different annotators, each weighted 1/(m − 1). Dense, O(labels²) memory: for display and as the textbook reference;
/// <see cref="KrippendorffAlpha.Compute"/> does not need it.
/// </summary>
public sealed class CoincidenceMatrix
{
    /// <summary>More labels than this would make the dense matrix too large to be useful.</summary>
    public const int MaxValues = 4096;

    private readonly double[] cells;
    private readonly double[] valueTotals;

    private CoincidenceMatrix(IReadOnlyList<string> values, IReadOnlyList<double>? numericValues)
    {
        Values = values;
        NumericValues = numericValues;
        cells = new double[values.Count * values.Count];
        valueTotals = new double[values.Count];
    }

    /// <summary>The labels, in label order: row and column c is <c>Values[c]</c>.</summary>
    public IReadOnlyList<string> Values { get; }

    public IReadOnlyList<double>? NumericValues { get; }

    public int ValueCount => Values.Count;

    /// <summary>Units with two or more values.</summary>
    public int Units { get; private set; }

    /// <summary>n: the number of pairable values.</summary>
    public double Total { get; private set; }

    public double this[int c, int k] => cells[(c * ValueCount) + k];

    /// <summary>n_c: row total of value c.</summary>
    public double ValueTotal(int c) => valueTotals[c];

    public static CoincidenceMatrix Build(JudgementSet set) => Build(set, null);

    /// <summary>The matrix of the multiset in which item u appears <paramref name="itemWeights"/>[u] times (null: once each).</summary>
    public static CoincidenceMatrix Build(JudgementSet set, int[]? itemWeights)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.LabelCount > MaxValues)
        {
            throw new AgreementException(
                $"a coincidence matrix over {set.LabelCount} distinct labels is too large to build (at most {MaxValues})");
        }

        var matrix = new CoincidenceMatrix(set.Labels, set.LabelValues);
        var l = set.LabelCount;
        var countOfLabel = new int[l];
        var distinct = new List<int>();
        for (var u = 0; u < set.ItemCount; u++)
        {
            var labels = set.LabelsOf(u);
            var m = labels.Length;
            var w = itemWeights is null ? 1 : itemWeights[u];
            if (m < 2 || w == 0)
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

            foreach (var c in distinct)
            {
                foreach (var k in distinct)
                {
                    // Ordered pairs of different judgements: n_uc·n_uk of them, or n_uc·(n_uc − 1) on the diagonal.
                    double pairs = c == k ? (double)countOfLabel[c] * (countOfLabel[c] - 1) : (double)countOfLabel[c] * countOfLabel[k];
                    matrix.cells[(c * l) + k] += w * pairs / (m - 1);
                }
            }

            foreach (var c in distinct)
            {
                matrix.valueTotals[c] += (double)w * countOfLabel[c];
                countOfLabel[c] = 0;
            }

            matrix.Units += w;
            matrix.Total += (double)w * m;
        }

        return matrix;
    }
}
