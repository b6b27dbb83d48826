namespace LabelBench.Core.Agreement;

/// <summary>
/// An annotator's estimated reliability = expected accuracy Σ_k prior_k · P(says k | true k), and the confusion matrix
/// <c>Confusion[true label][given label]</c> (rows sum to 1) it comes from.
/// </summary>
public sealed record AnnotatorReliability(string Annotator, int Judgements, double Reliability, double[][] Confusion);
