namespace LabelBench.Core.ActiveLearning;

/// <summary>How a prediction's uncertainty is measured for the uncertainty-first queue (a project setting).</summary>
public enum UncertaintyMeasure
{
    /// <summary><c>least-confidence</c>: 1 − p₁, the probability the model did not give its top label.</summary>
    LeastConfidence,

    /// <summary><c>margin</c>: 1 − (p₁ − p₂), high when the two best labels are close.</summary>
    Margin,

    /// <summary><c>entropy</c>: the entropy of the label distribution divided by log K, so it runs from 0 to 1.</summary>
    Entropy,
}

/// <summary>The names of <see cref="UncertaintyMeasure"/> in settings, the API and the UI.</summary>
public static class UncertaintyMeasures
{
    public const string LeastConfidence = "least-confidence";
    public const string Margin = "margin";
    public const string Entropy = "entropy";

    public static IReadOnlyList<string> Names { get; } = [LeastConfidence, Margin, Entropy];

    public static string ToName(this UncertaintyMeasure measure) => measure switch
    {
        UncertaintyMeasure.LeastConfidence => LeastConfidence,
        UncertaintyMeasure.Margin => Margin,
        UncertaintyMeasure.Entropy => Entropy,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "unknown uncertainty measure"),
    };

    public static bool TryParse(string? name, out UncertaintyMeasure measure)
    {
        switch (name)
        {
            case LeastConfidence:
                measure = UncertaintyMeasure.LeastConfidence;
                return true;
            case Margin:
                measure = UncertaintyMeasure.Margin;
                return true;
            case Entropy:
                measure = UncertaintyMeasure.Entropy;
                return true;
            default:
                measure = UncertaintyMeasure.LeastConfidence;
                return false;
        }
    }

    /// <summary>The stored name's measure; an unknown name (never written by LabelBench) reads as least confidence.</summary>
    public static UncertaintyMeasure ParseOrDefault(string? name) => TryParse(name, out var m) ? m : UncertaintyMeasure.LeastConfidence;
}
