using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class JudgementSetTests
{
    [Fact]
    public void Numeric_labels_sort_by_value_not_by_text()
    {
        var set = JudgementSet.From([new("i", "a", "10"), new("j", "a", "2"), new("k", "a", "-1.5"), new("l", "a", "1e0")]);

        Assert.Equal(["-1.5", "1e0", "2", "10"], set.Labels);
        Assert.True(set.IsNumeric);
        Assert.Equal([-1.5, 1, 2, 10], set.LabelValues!);
    }

    [Fact]
    public void Labels_sort_ordinally_when_any_label_is_not_a_number()
    {
        var set = JudgementSet.From([new("i", "a", "10"), new("j", "a", "2"), new("k", "a", "b"), new("l", "a", "B")]);

        Assert.Equal(["10", "2", "B", "b"], set.Labels);
        Assert.False(set.IsNumeric);
        Assert.Null(set.LabelValues);
    }

    [Fact]
    public void Infinity_and_NaN_are_not_numbers()
    {
        var set = JudgementSet.From([new("i", "a", "1"), new("j", "a", "NaN")]);

        Assert.False(set.IsNumeric);
    }

    [Fact]
    public void Explicit_label_order_is_kept_and_must_cover_every_label()
    {
        var set = JudgementSet.From([new("i", "a", "high"), new("j", "a", "low")], ["low", "medium", "high"]);

        Assert.Equal(["low", "medium", "high"], set.Labels);
        Assert.True(set.HasExplicitLabelOrder);
        var error = Assert.Throws<AgreementException>(() => JudgementSet.From([new("i", "a", "huge")], ["low", "high"]));
        Assert.Contains("'huge'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Judgements_are_grouped_by_item_with_annotators_ascending_and_missing_ones_counted()
    {
        var set = JudgementSet.From(
        [
            new("x", "bob", "1"), new("y", "ann", "2"), new("x", "ann", "3"), new("y", "cy", null), new("x", "cy", ""),
        ]);

        Assert.Equal(["x", "y"], set.Items);
        Assert.Equal(["bob", "ann", "cy"], set.Annotators);
        Assert.Equal(3, set.JudgementCount);
        Assert.Equal(2, set.MissingCount);
        Assert.Equal([0, 1], set.AnnotatorsOf(0).ToArray());
        Assert.Equal([set.IndexOfLabel("1"), set.IndexOfLabel("3")], set.LabelsOf(0).ToArray());
        Assert.Equal([1], set.AnnotatorsOf(1).ToArray());
        Assert.Equal(0, set.JudgementsBy(2));
    }

    [Fact]
    public void A_second_judgement_of_the_same_item_by_the_same_annotator_is_refused()
    {
        var builder = new JudgementSetBuilder().Add("x", "ann", "1");

        var error = Assert.Throws<AgreementException>(() => builder.Add("x", "ann", "2"));
        Assert.Contains("'ann' judged item 'x' more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selecting_items_repeats_them_as_separate_units()
    {
        var set = Sets.FromMatrix(["1", "2"], ["1", "1"]);

        var resample = set.SelectItems([1, 1, 0]);

        Assert.Equal(["u2", "u2", "u1"], resample.Items);
        Assert.Equal(6, resample.JudgementCount);
        Assert.Equal(set.Labels, resample.Labels);
        Assert.Equal(3, resample.JudgementsBy(0));
    }
}
