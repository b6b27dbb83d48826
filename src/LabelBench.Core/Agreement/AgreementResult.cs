namespace LabelBench.Core.Agreement;

/// <summary>
/// The value of one agreement metric and the data it used: <paramref name="Items"/> items (units) that entered the
/// computation, <paramref name="Annotators"/> distinct annotators and <paramref name="Judgements"/> non-missing judgements in them.
/// <paramref name="Value"/> is NaN when the metric is undefined for the data (e.g. no variation at all); <see cref="Note"/> says why.
/// </summary>
public sealed record AgreementResult(string Metric, double Value, int Items, int Annotators, int Judgements)
{
    /// <summary>Krippendorff's alpha: the level the distances were measured at.</summary>
    public MeasurementLevel? Level { get; init; }

    /// <summary>Cohen's kappa: the disagreement weights.</summary>
    public KappaWeighting? Weights { get; init; }

    /// <summary>Kappa and pi family: observed (weighted) agreement P_o.</summary>
    public double? ObservedAgreement { get; init; }

    /// <summary>Kappa and pi family: agreement expected by chance P_e.</summary>
    public double? ExpectedAgreement { get; init; }

    /// <summary>Krippendorff's alpha: observed disagreement D_o.</summary>
    public double? ObservedDisagreement { get; init; }

    /// <summary>Krippendorff's alpha: disagreement expected by chance D_e.</summary>
    public double? ExpectedDisagreement { get; init; }

    /// <summary>Why <see cref="Value"/> is NaN, when it is.</summary>
    public string? Note { get; init; }

    public bool IsDefined => !double.IsNaN(Value);
}
