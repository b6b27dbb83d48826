namespace LabelBench.Core.Agreement;

/// <summary>The metric ids used on the command line, in JSON output and in <see cref="AgreementResult.Metric"/>.</summary>
public static class AgreementMetrics
{
    public const string PercentAgreement = "percent-agreement";
    public const string CohenKappa = "cohen-kappa";
    public const string ScottsPi = "scotts-pi";
    public const string FleissKappa = "fleiss-kappa";
    public const string KrippendorffAlpha = "krippendorff-alpha";
    public const string All = "all";

    /// <summary>Every single metric, in the order a full report lists them.</summary>
    public static IReadOnlyList<string> Each { get; } = [PercentAgreement, CohenKappa, ScottsPi, FleissKappa, KrippendorffAlpha];
}
