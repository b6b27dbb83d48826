using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class PairwiseAgreementTests
{
    [Fact]
    public void Each_pair_gets_the_kappa_and_percent_agreement_of_its_shared_items()
    {
        string?[][] rows =
        [
            ["a", "b", "a", "b", "a", "a", null],
            ["a", "b", "b", "b", "a", null, "b"],
            ["b", "b", "a", null, "a", "a", "b"],
        ];
        var set = Sets.FromMatrix(rows);

        var pairs = PairwiseAgreement.Compute(set);

        Assert.Equal([("a1", "a2"), ("a1", "a3"), ("a2", "a3")], pairs.Select(p => (p.First, p.Second)));
        foreach (var pair in pairs)
        {
            var first = int.Parse(pair.First[1..], System.Globalization.CultureInfo.InvariantCulture) - 1;
            var second = int.Parse(pair.Second[1..], System.Globalization.CultureInfo.InvariantCulture) - 1;
            var two = Sets.FromMatrix(rows[first], rows[second]);
            var kappa = CohenKappa.Compute(two);
            Assert.Equal(kappa.Items, pair.SharedItems);
            Assert.Equal(kappa.Value, pair.Kappa, 14);
            Assert.Equal(PercentAgreement.Compute(two).Value, pair.PercentAgreement, 14);
        }
    }

    [Fact]
    public void Pairs_with_too_few_shared_items_are_left_out()
    {
        var set = Sets.FromMatrix(["a", "b", null], ["a", "b", "a"], [null, null, "a"]);

        var pairs = PairwiseAgreement.Compute(set, minimumSharedItems: 2);

        Assert.Equal([("a1", "a2")], pairs.Select(p => (p.First, p.Second)));
    }
}
