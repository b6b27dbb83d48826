namespace LabelBench.Core.Agreement;

/// <summary>
/// Dawid–Skene aggregation: per item the most likely label with its posterior probability, per annotator the estimated
/// confusion matrix and reliability, the class priors (in label order), and how the EM ended.
/// </summary>
public sealed record DawidSkeneResult(
    IReadOnlyList<AggregatedLabel> Items,
    IReadOnlyList<AnnotatorReliability> Annotators,
    IReadOnlyList<double> ClassPriors,
    int Iterations,
    bool Converged);

/// <summary>
/// An annotator's estimated reliability = expected accuracy Σ_k prior_k · P(says k | true k), and the confusion matrix
/// <c>Confusion[true label][given label]</c> (rows sum to 1) it comes from.
/// </summary>
public sealed record AnnotatorReliability(string Annotator, int Judgements, double Reliability, double[][] Confusion);
