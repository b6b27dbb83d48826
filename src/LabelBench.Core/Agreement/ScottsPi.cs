namespace LabelBench.Core.Agreement;

/// <summary>Scott's pi for exactly two annotators over the items both judged: chance agreement from the pooled label distribution.</summary>
public static class ScottsPi
{
    public static AgreementResult Compute(JudgementSet set)
    {
        const string Metric = AgreementMetrics.ScottsPi;
        var table = TwoAnnotatorTable.Build(set, Metric);
        var n = table.Items;

        // π = (Po − Pe) / (1 − Pe) with Po = D/n and Pe = Σ (r+c)² / (2n)², multiplied out to exact integers.
        Int128 pooledSquares = 0;
        for (var c = 0; c < table.LabelCount; c++)
        {
            Int128 pooled = table.RowTotals[c] + table.ColumnTotals[c];
            pooledSquares += pooled * pooled;
        }

        Int128 fourNSquared = (Int128)4 * n * n;
        var result = new AgreementResult(Metric, double.NaN, (int)n, 2, (int)(2 * n))
        {
            ObservedAgreement = (double)table.Agreements / n,
            ExpectedAgreement = (double)pooledSquares / (double)fourNSquared,
        };
        if (pooledSquares == fourNSquared)
        {
            return result with
            {
                Note = "both annotators used one and the same label throughout, so chance agreement is 1 and pi is undefined",
            };
        }

        var numerator = ((Int128)4 * n * table.Agreements) - pooledSquares;
        return result with { Value = (double)numerator / (double)(fourNSquared - pooledSquares) };
    }
}
