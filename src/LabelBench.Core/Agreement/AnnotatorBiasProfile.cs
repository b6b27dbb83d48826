namespace LabelBench.Core.Agreement;

/// <summary>
/// One annotator's label distribution (<paramref name="LabelCounts"/> over all their judgements), their confusion matrix
/// against the consensus of the others (<c>ConfusionWithConsensus[own label][consensus label]</c>, over
/// <paramref name="ComparedItems"/> items), a deviation per label, and whether any label is flagged.
/// </summary>
public sealed record AnnotatorBiasProfile(
    string Annotator,
    IReadOnlyList<int> LabelCounts,
    int ComparedItems,
    int[][] ConfusionWithConsensus,
    IReadOnlyList<LabelDeviation> Deviations,
    bool Flagged);
