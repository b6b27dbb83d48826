namespace LabelBench.Core.ActiveLearning;

/// <summary>A prediction's confidence as a model gave it: an overall <see cref="Score"/> and, optionally, per-label <see cref="Scores"/>.</summary>
public sealed record PredictionConfidence(double? Score, IReadOnlyDictionary<string, double>? Scores)
{
    public static PredictionConfidence None { get; } = new(null, null);
}

/// <summary>An item with the confidence of its newest prediction, for ranking.</summary>
public sealed record RankedCandidate(long ItemId, PredictionConfidence Confidence);

/// <summary>Uncertainty of a prediction under a <see cref="UncertaintyMeasure"/>: 0 is certain, 1 is as unsure as it gets.</summary>
/// <remarks>
/// <para>With per-label <c>scores</c> (two or more labels), least confidence is 1 − p₁ and margin 1 − (p₁ − p₂), with
/// the probabilities as given (a model's scores need not sum exactly to 1); entropy first normalises them to sum 1 and
/// divides the entropy by log K, K being the number of labels in <c>scores</c>. All-zero scores are fully uncertain.</para>
/// <para>With only the overall <c>score</c> s (the probability of the predicted label; a <c>scores</c> of one label
/// counts as such a score), least confidence is 1 − s. Margin and entropy need the runner-up, which a single score does
/// not give: they take the most uncertain reading that agrees with it, the rest of the mass (1 − s) on one other label.
/// So for s ≥ 0.5 margin is 1 − (s − (1 − s)) = 2 − 2s and entropy the two-label entropy H(s, 1 − s) / log 2, both
/// ordering items exactly as least confidence does; for s &lt; 0.5 another label may be as likely as the predicted one,
/// and both are 1.</para>
/// <para>No score at all gives no uncertainty (null): the queue serves such items after every scored one.</para>
/// </remarks>
public static class Uncertainty
{
    public static double? Of(UncertaintyMeasure measure, PredictionConfidence confidence) =>
        Of(measure, confidence.Score, confidence.Scores);

    public static double? Of(UncertaintyMeasure measure, double? score, IReadOnlyDictionary<string, double>? scores)
    {
        if (scores is { Count: >= 2 })
        {
            return Clamp(FromDistribution(measure, scores.Values.ToArray()));
        }

        var top = scores is { Count: 1 } ? scores.Values.First() : score;
        return top is { } s && double.IsFinite(s) ? Clamp(FromTopScore(measure, Math.Clamp(s, 0, 1))) : null;
    }

    /// <summary>
    /// Items in the order the uncertainty queue serves them: most uncertain first, items without a score last, ties by
    /// item id (import order), exactly as <c>QueueService</c> orders <c>Item.Uncertainty</c>.
    /// </summary>
    public static IReadOnlyList<long> Rank(UncertaintyMeasure measure, IEnumerable<RankedCandidate> candidates) =>
        candidates.Select(c => (c.ItemId, Value: Of(measure, c.Confidence)))
            .OrderByDescending(c => c.Value.HasValue).ThenByDescending(c => c.Value).ThenBy(c => c.ItemId)
            .Select(c => c.ItemId).ToList();

    private static double FromDistribution(UncertaintyMeasure measure, double[] p)
    {
        var sum = p.Sum();
        if (!(sum > 0))
        {
            return 1;
        }

        Array.Sort(p);
        Array.Reverse(p);
        switch (measure)
        {
            case UncertaintyMeasure.LeastConfidence:
                return 1 - p[0];
            case UncertaintyMeasure.Margin:
                return 1 - (p[0] - p[1]);
            case UncertaintyMeasure.Entropy:
                var entropy = 0.0;
                foreach (var value in p)
                {
                    var q = value / sum;
                    if (q > 0)
                    {
                        entropy -= q * Math.Log(q);
                    }
                }

                return entropy / Math.Log(p.Length);
            default:
                throw new ArgumentOutOfRangeException(nameof(measure), measure, "unknown uncertainty measure");
        }
    }

    private static double FromTopScore(UncertaintyMeasure measure, double s) => measure switch
    {
        UncertaintyMeasure.LeastConfidence => 1 - s,
        UncertaintyMeasure.Margin => s < 0.5 ? 1 : 1 - (s - (1 - s)),
        UncertaintyMeasure.Entropy => s < 0.5 ? 1 : BinaryEntropy(s),
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "unknown uncertainty measure"),
    };

    private static double BinaryEntropy(double s)
    {
        if (s is <= 0 or >= 1)
        {
            return 0;
        }

        return -(s * Math.Log(s) + (1 - s) * Math.Log(1 - s)) / Math.Log(2);
    }

    private static double Clamp(double value) => Math.Clamp(value, 0, 1);
}
