namespace LabelBench.Core.Agreement;

/// <summary>Agreement of two annotators on the items both judged: percent agreement and unweighted Cohen's kappa (NaN when undefined).</summary>
public sealed record AnnotatorPairAgreement(string First, string Second, int SharedItems, double PercentAgreement, double Kappa);
