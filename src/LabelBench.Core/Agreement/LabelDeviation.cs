namespace LabelBench.Core.Agreement;

/// <summary>
/// How one annotator uses one label compared with the consensus: <paramref name="Overused"/> times they chose it where the
/// consensus did not, <paramref name="Underused"/> times the consensus chose it where they did not, the shares of the
/// compared items each gave it, the exact McNemar p-value, and whether the bias rule flags it.
/// </summary>
public sealed record LabelDeviation(
    string Label, int Overused, int Underused, double AnnotatorShare, double ConsensusShare, double PValue, bool Flagged);
