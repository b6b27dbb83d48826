using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class AnnotatorBiasTests
{
    [Theory]
    [InlineData(0, 10, 0.001953125)]
    [InlineData(1, 9, 0.021484375)]
    [InlineData(30, 10, 0.0022214337732293643)]
    [InlineData(500, 600, 0.0028195449914364275)]
    [InlineData(7, 7, 1)]
    [InlineData(0, 0, 1)]
    public void Exact_McNemar_p_values_match_exact_binomial_sums(int b, int c, double expected)
    {
        // Expected values: 2·Σ_{i≤min(b,c)} C(b+c, i) / 2^(b+c) with Python's exact integers (math.comb, fractions).
        Assert.Equal(expected, AnnotatorBias.ExactMcNemarPValue(b, c), 12);
    }

    [Fact]
    public void An_annotator_who_overuses_a_label_is_flagged_and_the_others_are_not()
    {
        // Three careful annotators agree on a balanced pos/neg/neu truth; "lazy" answers "neu" on half the items.
        var builder = new JudgementSetBuilder();
        string[] labels = ["neg", "neu", "pos"];
        for (var i = 0; i < 300; i++)
        {
            var truth = labels[i % 3];
            builder.Add($"i{i}", "ann", truth).Add($"i{i}", "bob", truth).Add($"i{i}", "cy", truth);
            builder.Add($"i{i}", "lazy", i % 2 == 0 ? "neu" : truth);
        }

        var report = AnnotatorBias.Analyse(builder.Build());

        var lazy = report.Annotators.Single(a => a.Annotator == "lazy");
        Assert.True(lazy.Flagged);
        var neu = lazy.Deviations.Single(d => d.Label == "neu");
        Assert.True(neu.Flagged);
        Assert.Equal((100, 0), (neu.Overused, neu.Underused));
        Assert.Equal((200.0 / 300, 100.0 / 300), (neu.AnnotatorShare, neu.ConsensusShare));
        Assert.Equal(300, lazy.ComparedItems);
        Assert.Equal(50, lazy.ConfusionWithConsensus[1][0]); // said neu where the consensus said neg
        Assert.Equal([50, 200, 50], lazy.LabelCounts);
        Assert.All(report.Annotators.Where(a => a.Annotator != "lazy"), a => Assert.False(a.Flagged));
    }

    [Fact]
    public void Items_where_the_others_tie_are_not_compared()
    {
        var set = Sets.FromMatrix(["a"], ["a"], ["b"]);

        var report = AnnotatorBias.Analyse(set);

        // a1 sees others a, b (tie); a2 likewise; a3 sees a, a.
        Assert.Equal([0, 0, 1], report.Annotators.Select(a => a.ComparedItems));
    }
}
