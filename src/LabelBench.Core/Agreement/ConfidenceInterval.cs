namespace LabelBench.Core.Agreement;

/// <summary>
/// A bootstrap percentile interval: <paramref name="Estimate"/> on the full data, bounds at the given confidence,
/// from <paramref name="Resamples"/> resamples of which <paramref name="UndefinedResamples"/> gave no value (NaN or an error) and were left out.
/// </summary>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, double Confidence, int Resamples, int UndefinedResamples);
