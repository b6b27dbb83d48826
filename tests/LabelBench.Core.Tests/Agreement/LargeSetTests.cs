using System.Globalization;
using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

/// <summary>Correctness at scale (500,000 judgements) on data whose agreement is known in closed form; speed lives in benchmarks.</summary>
public class LargeSetTests
{
    /// <summary>
    /// 100,000 items × 5 annotators, labels 0–3 with item i's truth i mod 4. Annotators 1–4 always give the truth;
    /// annotator 5 gives it except on every fifth item, where it gives (truth + 1) mod 4. Because 5 and 4 are coprime,
    /// those 20,000 items spread evenly over the four labels (5,000 each), and every label gets exactly 125,000 judgements.
    /// </summary>
    private static JudgementSet Build()
    {
        var builder = new JudgementSetBuilder();
        string[] labels = ["0", "1", "2", "3"];
        string[] annotators = ["a1", "a2", "a3", "a4", "a5"];
        for (var i = 0; i < 100_000; i++)
        {
            var item = i.ToString(CultureInfo.InvariantCulture);
            var truth = i % 4;
            for (var a = 0; a < 4; a++)
            {
                builder.Add(item, annotators[a], labels[truth]);
            }

            builder.Add(item, annotators[4], labels[i % 5 == 0 ? (truth + 1) % 4 : truth]);
        }

        return builder.Build();
    }

    [Fact]
    public void Half_a_million_judgements_give_the_closed_form_values()
    {
        var set = Build();

        // Items with the odd one out agree on C(4,2) = 6 of C(5,2) = 10 pairs: P̄ = 0.8·1 + 0.2·0.6 = 0.92.
        // Label shares are all 1/4, so Pe = 0.25 and Fleiss κ = (0.92 − 0.25) / 0.75.
        Assert.Equal(0.92, PercentAgreement.Compute(set).Value, 12);
        var fleiss = FleissKappa.Compute(set);
        Assert.Equal(0.67 / 0.75, fleiss.Value, 12);
        Assert.Equal((100_000, 5, 500_000), (fleiss.Items, fleiss.Annotators, fleiss.Judgements));

        // Nominal α: each odd unit adds 2·4/(5−1) = 2 to Σ o_ck (c≠k): 40,000; Σ n_c n_k (c≠k) = n² − 4·125,000².
        const double n = 500_000;
        var nominal = 1 - ((n - 1) * 40_000 / ((n * n) - (4 * 125_000.0 * 125_000)));
        Assert.Equal(nominal, KrippendorffAlpha.Compute(set).Value, 12);

        // Interval α: an odd unit adds 2·d² (d = 1 for truths 0–2, 3 for truth 3): 15,000·2 + 5,000·18 = 120,000;
        // Σ n_c n_k (c−k)² = 2n Σ n_c (c − 1.5)² = 2n·125,000·5.
        var interval = 1 - ((n - 1) * 120_000 / (2 * n * 125_000 * 5));
        Assert.Equal(interval, KrippendorffAlpha.Compute(set, MeasurementLevel.Interval).Value, 12);
    }
}
