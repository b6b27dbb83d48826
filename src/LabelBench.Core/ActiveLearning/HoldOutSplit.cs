namespace LabelBench.Core.ActiveLearning;

/// <summary>Examples split into a training part and a held-out part that measures accuracy.</summary>
public sealed record HoldOutSplit<T>(IReadOnlyList<T> Training, IReadOnlyList<T> HeldOut);

/// <summary>A seeded, reproducible split: the same examples in the same order with the same seed always split alike.</summary>
public static class HoldOut
{
    public const double DefaultFraction = 0.2;

    /// <summary>
    /// Shuffles a copy of <paramref name="examples"/> (Fisher–Yates with <paramref name="seed"/>) and holds out
    /// round(fraction × n) of them, at least one when there are two or more examples and a fraction above 0.
    /// </summary>
    public static HoldOutSplit<T> Split<T>(IReadOnlyList<T> examples, double fraction = DefaultFraction, int seed = 20261124)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fraction, 1.0);
        var shuffled = examples.ToArray();
        var random = new Random(seed);
        for (var i = shuffled.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        var heldOut = (int)Math.Round(shuffled.Length * fraction, MidpointRounding.AwayFromZero);
        if (heldOut == 0 && fraction > 0 && shuffled.Length >= 2)
        {
            heldOut = 1;
        }

        return new HoldOutSplit<T>(shuffled[heldOut..], shuffled[..heldOut]);
    }
}
