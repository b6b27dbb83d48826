using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class CohenKappaTests
{
    [Fact]
    public void Kappa_matches_the_Wikipedia_yes_no_example()
    {
        // Wikipedia "Cohen's kappa", 50 proposals: yes/yes 20, A yes B no 5, A no B yes 10, no/no 15.
        // Po = 35/50 = 0.7, Pe = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.2 / 0.5 = 0.4 exactly.
        var set = Sets.FromContingencyTable(["Yes", "No"], [[20, 5], [10, 15]]);

        var result = CohenKappa.Compute(set);

        Assert.Equal(0.4, result.Value, 15);
        Assert.Equal(0.7, result.ObservedAgreement!.Value, 15);
        Assert.Equal(0.5, result.ExpectedAgreement!.Value, 15);
        Assert.Equal((50, 2, 100), (result.Items, result.Annotators, result.Judgements));
    }

    [Fact]
    public void Kappa_matches_scikit_learn_Artstein_Poesio_examples()
    {
        // scikit-learn test_cohen_kappa: binary table [[20, 20], [10, 50]] → 0.348 (exactly 8/23), and the
        // multiclass Artstein & Poesio table → 0.8013 (exactly 121/151); checked with exact fractions in Python.
        var binary = Sets.FromVectors(
            Sets.Repeat(("0", 40), ("1", 60)),
            Sets.Repeat(("0", 20), ("1", 20), ("0", 10), ("1", 50)));
        var multiclass = Sets.FromVectors(
            Sets.Repeat(("0", 46), ("1", 44), ("2", 10)),
            Sets.Repeat(("0", 52), ("1", 32), ("2", 16)));

        Assert.Equal(8.0 / 23, CohenKappa.Compute(binary).Value, 14);
        Assert.Equal(0.348, CohenKappa.Compute(binary).Value, 3);
        Assert.Equal(121.0 / 151, CohenKappa.Compute(multiclass).Value, 14);
        Assert.Equal(0.8013, CohenKappa.Compute(multiclass).Value, 4);
    }

    [Theory]
    [InlineData(KappaWeighting.None, 0.9315, 68.0 / 73)]
    [InlineData(KappaWeighting.Linear, 0.9412, 16.0 / 17)]
    [InlineData(KappaWeighting.Quadratic, 0.9541, 104.0 / 109)]
    public void Weighted_kappa_matches_scikit_learn(KappaWeighting weights, double published, double exact)
    {
        // scikit-learn test_cohen_kappa weighting example: y1 = [0]*46 + [1]*44 + [2]*10, y2 = [0]*50 + [1]*40 + [2]*10,
        // published to 4 decimals; the exact fractions come from an independent Python computation.
        var set = Sets.FromVectors(
            Sets.Repeat(("0", 46), ("1", 44), ("2", 10)),
            Sets.Repeat(("0", 50), ("1", 40), ("2", 10)));

        var value = CohenKappa.Compute(set, weights).Value;

        Assert.Equal(published, value, 4);
        Assert.Equal(exact, value, 14);
    }

    [Fact]
    public void Weights_use_positions_among_observed_categories_sorted_numerically()
    {
        // Labels 1, 5, 10 sit at positions 0, 1, 2: "10" is not next to "1" (text order) and the gap to 5 is not 4 (value).
        var numbered = Sets.FromVectors(["1", "5", "10", "10", "1"], ["5", "5", "10", "1", "1"]);
        var positional = Sets.FromVectors(["0", "1", "2", "2", "0"], ["1", "1", "2", "0", "0"]);

        Assert.Equal(
            CohenKappa.Compute(positional, KappaWeighting.Quadratic).Value,
            CohenKappa.Compute(numbered, KappaWeighting.Quadratic).Value,
            15);
    }

    [Fact]
    public void Only_items_judged_by_both_annotators_count()
    {
        var set = Sets.FromMatrix(["a", "b", "a", "b"], ["a", "b", ".", null]);

        var result = CohenKappa.Compute(set);

        Assert.Equal(1, result.Value);
        Assert.Equal(2, result.Items);
    }

    [Fact]
    public void A_constant_rater_gets_kappa_zero_against_anyone()
    {
        var set = Sets.FromVectors(["y", "y", "y", "y"], ["y", "n", "y", "n"]);

        Assert.Equal(0, CohenKappa.Compute(set).Value, 15);
    }

    [Fact]
    public void Kappa_is_undefined_when_both_use_a_single_label()
    {
        var result = CohenKappa.Compute(Sets.FromVectors(["y", "y"], ["y", "y"]));

        Assert.True(double.IsNaN(result.Value));
        Assert.NotNull(result.Note);
    }

    [Fact]
    public void Kappa_needs_exactly_two_annotators()
    {
        var error = Assert.Throws<AgreementException>(() => CohenKappa.Compute(Sets.FromMatrix(["a"], ["a"], ["b"])));

        Assert.Contains("exactly two annotators", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a1', 'a2', 'a3'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Annotators_without_a_shared_item_are_a_clear_error()
    {
        var error = Assert.Throws<AgreementException>(() => CohenKappa.Compute(Sets.FromMatrix(["a", null], [null, "b"])));

        Assert.Contains("no item that both judged", error.Message, StringComparison.Ordinal);
    }
}
