using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Queue;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Tests.Queue;

public class OverlapPolicyTests
{
    private static readonly LabelSchema Sentiment = LabelSchemaJson.Parse("""
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["pos", "neg", "neutral"]}]}
        """).Value!;

    private static List<JsonObject> Results(params string[] labels) =>
        labels.Select(l => new JsonObject { ["sentiment"] = l }).ToList();

    [Fact]
    public void Fewer_submissions_than_the_target_keep_waiting()
    {
        var policy = new OverlapPolicy(2, 4);
        Assert.Equal(OverlapOutcome.Waiting, policy.Decide(Sentiment, Results("pos"), extra: 0));
        Assert.Equal(OverlapOutcome.Waiting, policy.Decide(Sentiment, Results("pos", "neg"), extra: 1));
    }

    [Fact]
    public void Agreeing_first_annotators_complete_the_item()
    {
        var policy = new OverlapPolicy(2, 4);
        Assert.Equal(OverlapOutcome.Complete, policy.Decide(Sentiment, Results("pos", "pos"), extra: 0));
    }

    [Fact]
    public void Disagreeing_first_annotators_open_one_more_place()
    {
        var policy = new OverlapPolicy(2, 4);
        Assert.Equal(OverlapOutcome.OneMore, policy.Decide(Sentiment, Results("pos", "neg"), extra: 0));
    }

    [Fact]
    public void A_majority_after_one_more_completes_the_item()
    {
        var policy = new OverlapPolicy(2, 4);
        Assert.Equal(OverlapOutcome.Complete, policy.Decide(Sentiment, Results("pos", "neg", "pos"), extra: 1));
    }

    [Fact]
    public void Still_no_majority_opens_another_place_until_the_maximum()
    {
        var policy = new OverlapPolicy(2, 4);
        Assert.Equal(OverlapOutcome.OneMore, policy.Decide(Sentiment, Results("pos", "neg", "neutral"), extra: 1));
        Assert.Equal(OverlapOutcome.Complete, policy.Decide(Sentiment, Results("pos", "neg", "neutral", "neg"), extra: 2));
    }

    [Fact]
    public void The_maximum_completes_the_item_even_without_agreement()
    {
        var policy = new OverlapPolicy(2, 3);
        Assert.Equal(OverlapOutcome.Complete, policy.Decide(Sentiment, Results("pos", "neg", "neutral"), extra: 1));
    }

    [Fact]
    public void Without_a_maximum_above_the_overlap_disagreement_never_extends()
    {
        var policy = new OverlapPolicy(2);
        Assert.False(policy.IsDynamic);
        Assert.Equal(OverlapOutcome.Complete, policy.Decide(Sentiment, Results("pos", "neg"), extra: 0));
    }

    [Fact]
    public void The_unanimous_rule_extends_on_one_dissent()
    {
        var policy = new OverlapPolicy(3, 5, AgreementRule.Unanimous);
        Assert.Equal(OverlapOutcome.OneMore, policy.Decide(Sentiment, Results("pos", "pos", "neg"), extra: 0));
        Assert.Equal(OverlapOutcome.Complete, new OverlapPolicy(3, 5).Decide(Sentiment, Results("pos", "pos", "neg"), extra: 0));
    }

    [Fact]
    public void The_target_grows_with_the_extra_places_but_never_past_the_maximum()
    {
        var policy = new OverlapPolicy(2, 3);
        Assert.Equal(2, policy.Target(0));
        Assert.Equal(3, policy.Target(1));
        Assert.Equal(3, policy.Target(5));
        Assert.True(policy.IsOpen(assigned: 2, extra: 1));
        Assert.False(policy.IsOpen(assigned: 2, extra: 0));
        Assert.False(policy.IsOpen(assigned: 3, extra: 1));
    }

    [Fact]
    public void A_maximum_below_the_overlap_is_the_overlap()
    {
        Assert.Equal(3, new OverlapPolicy(3, 1).MaxOverlap);
    }

    [Theory]
    [InlineData(0, null, "overlap")]
    [InlineData(51, null, "overlap")]
    [InlineData(3, 2, "maxOverlap")]
    [InlineData(3, 51, "maxOverlap")]
    public void Settings_out_of_range_are_refused_naming_the_setting(int overlap, int? max, string path)
    {
        var problems = OverlapPolicy.Validate(overlap, max);
        Assert.Equal(path, Assert.Single(problems).Path);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, 2)]
    [InlineData(2, 5)]
    [InlineData(50, 50)]
    public void Settings_in_range_pass(int overlap, int? max) => Assert.Empty(OverlapPolicy.Validate(overlap, max));
}
