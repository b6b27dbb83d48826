namespace LabelBench.Core.ActiveLearning;

/// <summary>One point of a learning curve: accuracy on the held-out set after training on <see cref="Labels"/> examples.</summary>
public sealed record LearningCurvePoint(int Labels, double? Accuracy);

/// <summary>
/// Accuracy against the number of labels: a model is trained on growing prefixes (10 %, 20 %, … 100 %) of the training
/// examples and every one is evaluated on the same held-out set, so the points differ only in how much was learnt.
/// </summary>
public static class LearningCurve
{
    /// <summary>The training sizes for <paramref name="count"/> examples in <paramref name="steps"/> equal steps (distinct, ascending, ≥ 1).</summary>
    public static IReadOnlyList<int> Sizes(int count, int steps = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return Enumerable.Range(1, steps)
            .Select(i => (int)Math.Round(count * (double)i / steps, MidpointRounding.AwayFromZero))
            .Where(n => n >= 1).Distinct().ToList();
    }

    /// <summary>
    /// Runs <paramref name="trainAndEvaluate"/> (train on the given examples, return accuracy on <paramref name="heldOut"/>, or
    /// null when that subset cannot train a model, e.g. it has a single label) for each size. <paramref name="training"/>
    /// should already be in a random order (as <see cref="HoldOut.Split{T}"/> leaves it), so each prefix is a random subset.
    /// </summary>
    public static IReadOnlyList<LearningCurvePoint> Compute<T>(
        IReadOnlyList<T> training,
        IReadOnlyList<T> heldOut,
        Func<IReadOnlyList<T>, IReadOnlyList<T>, double?> trainAndEvaluate,
        int steps = 10,
        CancellationToken ct = default)
    {
        var points = new List<LearningCurvePoint>();
        foreach (var size in Sizes(training.Count, steps))
        {
            ct.ThrowIfCancellationRequested();
            var subset = training.Take(size).ToList();
            points.Add(new LearningCurvePoint(size, trainAndEvaluate(subset, heldOut)));
        }

        return points;
    }
}
