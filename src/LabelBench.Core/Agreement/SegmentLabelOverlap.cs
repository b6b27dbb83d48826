namespace LabelBench.Core.Agreement;

/// <summary>Seconds a label covers in each annotator's segments (overlapping segments merged), and in both and in either.</summary>
public sealed record SegmentLabelOverlap(string Label, double SecondsFirst, double SecondsSecond, double Intersection, double Union)
{
    /// <summary>Intersection over union of the time covered; 1 when the label covers no time at all.</summary>
    public double IoU => Union > 0 ? Intersection / Union : 1;
}
