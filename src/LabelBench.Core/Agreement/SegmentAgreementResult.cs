namespace LabelBench.Core.Agreement;

/// <summary>Audio segment agreement: time overlap per label, pooled overlap, and segment matching at a temporal IoU threshold.</summary>
/// <param name="Labels">Per label (ordinal order), the time each annotator covered with it and their overlap.</param>
/// <param name="CoverageIoU">Σ intersection / Σ union over labels: time both gave the same label over time either labelled; 1 when neither marked anything.</param>
/// <param name="UnlabelledCoverageIoU">The same ignoring labels: time both marked over time either marked.</param>
/// <param name="Matches">One-to-one segment matching (greedy by temporal IoU, match when IoU ≥ threshold).</param>
public sealed record SegmentAgreementResult(
    IReadOnlyList<SegmentLabelOverlap> Labels, double CoverageIoU, double UnlabelledCoverageIoU, MatchAgreement Matches);
