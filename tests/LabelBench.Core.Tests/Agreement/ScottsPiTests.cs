using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class ScottsPiTests
{
    [Fact]
    public void Pi_matches_NLTK_on_the_Artstein_Poesio_example()
    {
        // NLTK metrics/agreement doctest: round(t.pi(), 5) == 0.79953; exactly 2393/2993 (Po = 0.88, Pe = 0.4012).
        var set = Sets.FromVectors(
            Sets.Repeat(("stat", 46), ("ireq", 44), ("chck", 10)),
            Sets.Repeat(("stat", 52), ("ireq", 32), ("chck", 16)));

        var result = ScottsPi.Compute(set);

        Assert.Equal(0.79953, result.Value, 5);
        Assert.Equal(2393.0 / 2993, result.Value, 14);
        Assert.Equal(0.88, result.ObservedAgreement!.Value, 15);
    }

    [Fact]
    public void Pi_of_the_Artstein_Poesio_binary_table_is_31_over_91()
    {
        // Table [[20, 20], [10, 50]]: Po = 0.7, pooled p = 0.35/0.65, Pe = 0.545, π = 0.155/0.455 = 31/91.
        var set = Sets.FromContingencyTable(["stat", "ireq"], [[20, 20], [10, 50]]);

        Assert.Equal(31.0 / 91, ScottsPi.Compute(set).Value, 15);
    }

    [Fact]
    public void Perfect_agreement_is_one_and_three_annotators_are_refused()
    {
        Assert.Equal(1, ScottsPi.Compute(Sets.FromVectors(["a", "b"], ["a", "b"])).Value);
        Assert.Throws<AgreementException>(() => ScottsPi.Compute(Sets.FromMatrix(["a"], ["a"], ["a"])));
    }
}
