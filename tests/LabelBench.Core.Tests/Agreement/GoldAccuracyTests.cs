using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class GoldAccuracyTests
{
    [Fact]
    public void Accuracy_per_annotator_counts_only_gold_items()
    {
        var set = Sets.FromMatrix(["cat", "dog", "cat", "x"], ["cat", "cat", null, "x"], [null, null, null, "y"]);
        var gold = new Dictionary<string, string> { ["u1"] = "cat", ["u2"] = "dog", ["u3"] = "bird", ["u9"] = "cat" };

        var result = GoldAccuracy.Compute(set, gold);

        Assert.Equal(("a1", 3, 2, (double?)(2.0 / 3)), (result.Annotators[0].Annotator, result.Annotators[0].GoldJudgements, result.Annotators[0].Correct, result.Annotators[0].Accuracy));
        Assert.Equal(0.5, result.Annotators[1].Accuracy);
        Assert.Null(result.Annotators[2].Accuracy);
        Assert.Equal((4, 3), (result.GoldItems, result.GoldItemsJudged));
        Assert.Equal(3.0 / 5, result.OverallAccuracy);
    }
}
