using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class PerLabelAgreementTests
{
    [Fact]
    public void Specific_agreement_of_two_annotators_is_2a_over_2a_plus_b_plus_c()
    {
        // Wikipedia Cohen table: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
        // Positive agreement 2·20/(40+15) = 8/11; negative agreement 2·15/(30+15) = 2/3.
        var set = Sets.FromContingencyTable(["Yes", "No"], [[20, 5], [10, 15]]);

        var perLabel = PerLabelAgreement.Compute(set).ToDictionary(l => l.Label);

        Assert.Equal(8.0 / 11, perLabel["Yes"].SpecificAgreement, 15);
        Assert.Equal(2.0 / 3, perLabel["No"].SpecificAgreement, 15);
        Assert.Equal(55, perLabel["Yes"].Judgements);
    }

    [Fact]
    public void Label_alpha_equals_nominal_alpha_of_the_label_versus_rest_data()
    {
        var set = KrippendorffAlphaTests.Krippendorff2011Example();

        foreach (var label in PerLabelAgreement.Compute(set))
        {
            var binary = Sets.FromMatrix(
                ["1", "2", "3", "3", "2", "1", "4", "1", "2", ".", ".", "."],
                ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", ".", "3"],
                [".", "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", "."],
                ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", "."]);
            var relabelled = new JudgementSetBuilder();
            for (var u = 0; u < binary.ItemCount; u++)
            {
                var annotators = binary.AnnotatorsOf(u);
                var labels = binary.LabelsOf(u);
                for (var k = 0; k < labels.Length; k++)
                {
                    relabelled.Add(binary.Items[u], binary.Annotators[annotators[k]], binary.Labels[labels[k]] == label.Label ? "yes" : "no");
                }
            }

            Assert.Equal(KrippendorffAlpha.Compute(relabelled.Build()).Value, label.Alpha, 13);
        }
    }

    [Fact]
    public void A_label_nobody_used_has_undefined_agreement()
    {
        var set = JudgementSet.From([new("i", "a", "x"), new("i", "b", "x")], ["x", "y"]);

        var y = PerLabelAgreement.Compute(set)[1];

        Assert.Equal(("y", 0), (y.Label, y.Judgements));
        Assert.True(double.IsNaN(y.SpecificAgreement));
        Assert.True(double.IsNaN(y.Alpha));
    }
}
