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
