using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class AggregationTests
{
    [Fact]
    public void Majority_vote_takes_the_most_frequent_label_with_its_share()
    {
        var set = Sets.FromMatrix(["b", "x", "."], ["a", "y", "."], ["b", "z", "."]);

        var votes = MajorityVote.Aggregate(set);

        Assert.Equal(2, votes.Count);
        Assert.Equal(("u1", "b", 2.0 / 3, 3), (votes[0].Item, votes[0].Label, votes[0].Confidence, votes[0].Judgements));
        Assert.Equal(("u2", "x", 1.0 / 3), (votes[1].Item, votes[1].Label, votes[1].Confidence));
    }

    [Fact]
    public void Majority_vote_breaks_ties_by_label_order_whatever_the_input_order()
    {
        var one = JudgementSet.From([new("i", "p", "b"), new("i", "q", "a")]);
        var other = JudgementSet.From([new("i", "p", "a"), new("i", "q", "b")]);

        Assert.Equal("a", MajorityVote.Aggregate(one)[0].Label);
        Assert.Equal("a", MajorityVote.Aggregate(other)[0].Label);
    }

    /// <summary>
    /// Three careful annotators (two of them slip now and then) and four who always say "a": on the "b" items the
    /// majority is wrong. (With only two experts a slip would be ambiguous: nothing tells which of them erred.)
    /// </summary>
    private static (JudgementSet Set, Dictionary<string, string> Truth) ExpertsAndSpammers()
    {
        var builder = new JudgementSetBuilder();
        var truth = new Dictionary<string, string>();
        for (var i = 0; i < 200; i++)
        {
            var label = i % 2 == 0 ? "a" : "b";
            truth[$"i{i}"] = label;
            builder.Add($"i{i}", "expert1", label);
            builder.Add($"i{i}", "expert2", i % 20 == 1 ? "a" : label); // one slip in ten "b" items
            builder.Add($"i{i}", "expert3", i % 20 == 2 ? "b" : label); // one slip in ten "a" items
            builder.Add($"i{i}", "spam1", "a").Add($"i{i}", "spam2", "a").Add($"i{i}", "spam3", "a").Add($"i{i}", "spam4", "a");
        }

        return (builder.Build(), truth);
    }

    [Fact]
    public void Dawid_Skene_recovers_the_truth_where_the_majority_is_wrong()
    {
        var (set, truth) = ExpertsAndSpammers();

        var majority = MajorityVote.Aggregate(set).Count(v => v.Label == truth[v.Item]);
        var result = DawidSkene.Aggregate(set);

        Assert.Equal(100, majority);
        Assert.True(result.Converged);
        Assert.All(result.Items, item => Assert.Equal(truth[item.Item], item.Label));
        var reliability = result.Annotators.ToDictionary(a => a.Annotator, a => a.Reliability);
        Assert.True(reliability["expert1"] > 0.99);
        Assert.InRange(reliability["expert2"], 0.9, 0.99);
        Assert.InRange(reliability["expert3"], 0.9, 0.99);
        Assert.InRange(reliability["spam1"], 0.49, 0.51);
        Assert.Equal(0.5, result.ClassPriors[0], 2);
    }

    [Fact]
    public void Dawid_Skene_is_deterministic_and_its_confusion_rows_are_distributions()
    {
        var (set, _) = ExpertsAndSpammers();

        var one = DawidSkene.Aggregate(set);
        var two = DawidSkene.Aggregate(set);

        Assert.Equal(one.Items, two.Items);
        Assert.Equal(one.Iterations, two.Iterations);
        Assert.All(one.Annotators, a => Assert.All(a.Confusion, row => Assert.Equal(1, row.Sum(), 12)));
        Assert.Equal(1, one.ClassPriors.Sum(), 12);
    }

    [Fact]
    public void Dawid_Skene_on_unanimous_judgements_is_confident_and_stops_at_max_iterations_if_told()
    {
        var set = Sets.FromMatrix(["x", "y", "x"], ["x", "y", "x"], ["x", "y", "x"]);

        var result = DawidSkene.Aggregate(set);
        var capped = DawidSkene.Aggregate(set, new DawidSkeneOptions(MaxIterations: 1, Tolerance: 1e-300));

        Assert.Equal(["x", "y", "x"], result.Items.Select(i => i.Label));
        Assert.All(result.Items, i => Assert.True(i.Confidence > 0.99));
        Assert.Equal((1, false), (capped.Iterations, capped.Converged));
    }
}
