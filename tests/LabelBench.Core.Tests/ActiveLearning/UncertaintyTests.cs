using LabelBench.Core.ActiveLearning;

namespace LabelBench.Core.Tests.ActiveLearning;

public class UncertaintyTests
{
    private static readonly RankedCandidate[] Candidates =
    [
        new(1, Scores(("a", 0.9), ("b", 0.05), ("c", 0.05))),
        new(2, Scores(("a", 0.5), ("b", 0.5), ("c", 0.0))),
        new(3, Scores(("a", 0.4), ("b", 0.3), ("c", 0.3))),
        new(4, Scores(("a", 0.6), ("b", 0.4), ("c", 0.0))),
        new(5, new PredictionConfidence(0.7, null)),
        new(6, PredictionConfidence.None),
    ];

    [Theory]
    [InlineData(UncertaintyMeasure.LeastConfidence, new long[] { 3, 2, 4, 5, 1, 6 })]
    [InlineData(UncertaintyMeasure.Margin, new long[] { 2, 3, 4, 5, 1, 6 })]
    [InlineData(UncertaintyMeasure.Entropy, new long[] { 3, 5, 2, 4, 1, 6 })]
    public void Ranking_is_exact_for_given_scores(UncertaintyMeasure measure, long[] expected) =>
        Assert.Equal(expected, Uncertainty.Rank(measure, Candidates));

    [Fact]
    public void Least_confidence_is_one_minus_the_top_probability()
    {
        Assert.Equal(0.1, Uncertainty.Of(UncertaintyMeasure.LeastConfidence, Candidates[0].Confidence)!.Value, 12);
        Assert.Equal(0.6, Uncertainty.Of(UncertaintyMeasure.LeastConfidence, Candidates[2].Confidence)!.Value, 12);
        Assert.Equal(0.3, Uncertainty.Of(UncertaintyMeasure.LeastConfidence, 0.7, null)!.Value, 12);
    }

    [Fact]
    public void Margin_is_one_minus_the_gap_between_the_two_best_labels()
    {
        Assert.Equal(0.15, Uncertainty.Of(UncertaintyMeasure.Margin, Candidates[0].Confidence)!.Value, 12);
        Assert.Equal(1.0, Uncertainty.Of(UncertaintyMeasure.Margin, Candidates[1].Confidence)!.Value, 12);
        Assert.Equal(0.9, Uncertainty.Of(UncertaintyMeasure.Margin, Candidates[2].Confidence)!.Value, 12);
    }

    [Fact]
    public void Entropy_is_normalised_by_the_log_of_the_label_count()
    {
        var expected = -(0.4 * Math.Log(0.4) + 2 * 0.3 * Math.Log(0.3)) / Math.Log(3);
        Assert.Equal(expected, Uncertainty.Of(UncertaintyMeasure.Entropy, Candidates[2].Confidence)!.Value, 12);
        Assert.Equal(1.0, Uncertainty.Of(UncertaintyMeasure.Entropy, Scores(("a", 0.25), ("b", 0.25), ("c", 0.25), ("d", 0.25)))!.Value, 12);
        Assert.Equal(0.0, Uncertainty.Of(UncertaintyMeasure.Entropy, Scores(("a", 1.0), ("b", 0.0)))!.Value, 12);
    }

    [Fact]
    public void Entropy_normalises_scores_that_do_not_sum_to_one()
    {
        var scaled = Uncertainty.Of(UncertaintyMeasure.Entropy, Scores(("a", 0.2), ("b", 0.2)));
        Assert.Equal(1.0, scaled!.Value, 12);
    }

    [Theory]
    [InlineData(0.7, 0.6)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.3, 1.0)]
    [InlineData(1.0, 0.0)]
    public void Margin_from_a_single_score_puts_the_rest_on_one_runner_up(double score, double expected) =>
        Assert.Equal(expected, Uncertainty.Of(UncertaintyMeasure.Margin, score, null)!.Value, 12);

    [Theory]
    [InlineData(0.7)]
    [InlineData(0.9)]
    [InlineData(0.5)]
    public void Entropy_from_a_single_score_is_the_two_label_entropy(double score)
    {
        var expected = -(score * Math.Log(score) + (1 - score) * Math.Log(1 - score)) / Math.Log(2);
        Assert.Equal(expected, Uncertainty.Of(UncertaintyMeasure.Entropy, score, null)!.Value, 12);
    }

    [Fact]
    public void A_score_below_one_half_is_fully_uncertain_for_margin_and_entropy() =>
        Assert.Equal(1.0, Uncertainty.Of(UncertaintyMeasure.Entropy, 0.2, null)!.Value, 12);

    [Theory]
    [InlineData(UncertaintyMeasure.Margin)]
    [InlineData(UncertaintyMeasure.Entropy)]
    public void With_single_scores_of_one_half_and_above_every_measure_orders_like_least_confidence(UncertaintyMeasure measure)
    {
        var candidates = new[] { 0.55, 0.99, 0.7, 0.62, 0.81 }.Select((s, i) => new RankedCandidate(i + 1, new PredictionConfidence(s, null))).ToList();
        Assert.Equal(Uncertainty.Rank(UncertaintyMeasure.LeastConfidence, candidates), Uncertainty.Rank(measure, candidates));
    }

    [Fact]
    public void Per_label_scores_win_over_the_overall_score_and_one_label_counts_as_a_score()
    {
        Assert.Equal(0.6, Uncertainty.Of(UncertaintyMeasure.LeastConfidence, 0.99, Scores(("a", 0.4), ("b", 0.3), ("c", 0.3)).Scores)!.Value, 12);
        Assert.Equal(0.2, Uncertainty.Of(UncertaintyMeasure.LeastConfidence, null, Scores(("a", 0.8)).Scores)!.Value, 12);
    }

    [Fact]
    public void No_score_gives_no_uncertainty_and_ties_keep_item_order()
    {
        Assert.Null(Uncertainty.Of(UncertaintyMeasure.Entropy, PredictionConfidence.None));
        var tied = new[] { new RankedCandidate(9, new PredictionConfidence(0.8, null)), new RankedCandidate(4, new PredictionConfidence(0.8, null)) };
        Assert.Equal([4L, 9L], Uncertainty.Rank(UncertaintyMeasure.LeastConfidence, tied));
    }

    [Fact]
    public void Measure_names_round_trip()
    {
        foreach (var measure in Enum.GetValues<UncertaintyMeasure>())
        {
            Assert.True(UncertaintyMeasures.TryParse(measure.ToName(), out var parsed));
            Assert.Equal(measure, parsed);
        }

        Assert.False(UncertaintyMeasures.TryParse("smallest-margin", out _));
    }

    private static PredictionConfidence Scores(params (string Label, double P)[] scores) =>
        new(null, scores.ToDictionary(s => s.Label, s => s.P));
}
