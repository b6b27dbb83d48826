using LabelBench.Core.Agreement;
using LabelBench.Tests.Shared;

namespace LabelBench.Core.Tests.Agreement;

public class FleissKappaTests
{
    // Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters each, 5 categories.
    private static readonly int[][] WikipediaTable = AgreementReferences.WikipediaFleissTable;

    [Fact]
    public void Kappa_matches_the_Wikipedia_example()
    {
        // Published: P̄ = 0.378, P̄e = 0.213, κ = 0.210; exactly κ = 4211/20059 (Python, fractions).
        var set = Sets.FromCategoryCounts(["1", "2", "3", "4", "5"], WikipediaTable);

        var result = FleissKappa.Compute(set);

        Assert.Equal(0.210, result.Value, 3);
        Assert.Equal(4211.0 / 20059, result.Value, 15);
        Assert.Equal(0.378, result.ObservedAgreement!.Value, 3);
        Assert.Equal(0.213, result.ExpectedAgreement!.Value, 3);
        Assert.Equal((10, 14, 140), (result.Items, result.Annotators, result.Judgements));
    }

    [Fact]
    public void Unequal_judgement_counts_name_the_item_and_the_counts()
    {
        var set = Sets.FromMatrix(["a", "a", "b", "a"], ["a", "b", "b", "a"], ["a", "a", "b", null]);

        var error = Assert.Throws<AgreementException>(() => FleissKappa.Compute(set));

        Assert.Contains("item 'u4' has 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 item(s) have 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Perfect_agreement_is_one_and_a_single_label_is_undefined()
    {
        Assert.Equal(1, FleissKappa.Compute(Sets.FromMatrix(["a", "b"], ["a", "b"], ["a", "b"])).Value);
        Assert.True(double.IsNaN(FleissKappa.Compute(Sets.FromMatrix(["a", "a"], ["a", "a"])).Value));
    }

    [Fact]
    public void One_judgement_per_item_is_a_clear_error()
    {
        var error = Assert.Throws<AgreementException>(() => FleissKappa.Compute(Sets.FromMatrix(["a", "b"])));

        Assert.Contains("at least two judgements per item", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_two_annotators_kappa_equals_Scotts_pi()
    {
        // Fleiss' kappa generalises Scott's pi, not Cohen's kappa.
        var set = Sets.FromContingencyTable(["s", "i"], [[20, 20], [10, 50]]);

        Assert.Equal(ScottsPi.Compute(set).Value, FleissKappa.Compute(set).Value, 14);
    }
}
