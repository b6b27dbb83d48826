namespace LabelBench.Core.Agreement;

/// <summary>How Cohen's kappa penalises a disagreement between categories i and j, by their positions among the observed categories.</summary>
public enum KappaWeighting
{
    /// <summary>Every disagreement counts the same.</summary>
    None,

    /// <summary>Penalty |i − j|.</summary>
    Linear,

    /// <summary>Penalty (i − j)².</summary>
    Quadratic,
}
