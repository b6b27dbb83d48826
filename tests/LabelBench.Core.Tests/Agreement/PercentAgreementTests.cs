using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class PercentAgreementTests
{
    [Fact]
    public void Matches_NLTK_avg_Ao_on_the_Artstein_Poesio_example()
    {
        // NLTK metrics/agreement doctest: AnnotationTask(artstein_poesio_example).avg_Ao() == 0.88;
        // the table is scikit-learn's "Artstein and Poesio" multiclass example (88 of 100 items agree).
        var set = Sets.FromVectors(
            Sets.Repeat(("stat", 46), ("ireq", 44), ("chck", 10)),
            Sets.Repeat(("stat", 52), ("ireq", 32), ("chck", 16)));

        var result = PercentAgreement.Compute(set);

        Assert.Equal(0.88, result.Value, 12);
        Assert.Equal((100, 2, 200), (result.Items, result.Annotators, result.Judgements));
    }

    [Fact]
    public void Averages_the_share_of_agreeing_pairs_over_items_with_two_or_more_judgements()
    {
        // u1: 3 of 3 pairs agree; u2: a,a,b → 1 of 3; u3: a,b → 0 of 1; u4 has one judgement and is left out.
        var set = Sets.FromMatrix(["a", "a", "a", "a"], ["a", "a", "b", null], ["a", "b", null, null]);

        var result = PercentAgreement.Compute(set);

        Assert.Equal((1 + (1.0 / 3) + 0) / 3, result.Value, 15);
        Assert.Equal(3, result.Items);
        Assert.Equal(8, result.Judgements);
    }

    [Fact]
    public void Perfect_agreement_is_one()
    {
        Assert.Equal(1, PercentAgreement.Compute(Sets.FromMatrix(["x", "y", "z"], ["x", "y", "z"], ["x", "y", "z"])).Value);
    }

    [Fact]
    public void A_single_judgement_per_item_is_a_clear_error()
    {
        var error = Assert.Throws<AgreementException>(() => PercentAgreement.Compute(Sets.FromMatrix(["x", null], [null, "y"])));

        Assert.Contains("no item has two or more judgements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_is_a_clear_error()
    {
        var error = Assert.Throws<AgreementException>(() => PercentAgreement.Compute(new JudgementSetBuilder().Build()));

        Assert.Contains("no judgements", error.Message, StringComparison.Ordinal);
    }
}
