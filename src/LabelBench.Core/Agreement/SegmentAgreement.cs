namespace LabelBench.Core.Agreement;

/// <summary>
/// Agreement between two annotators' audio segments on one item: per label, intersection over union of the time
/// covered; and F1 of one-to-one segment matching at a temporal IoU threshold (greedy by highest IoU).
/// </summary>
public static class SegmentAgreement
{
    public const double DefaultIoUThreshold = 0.5;

    public static SegmentAgreementResult Compare(
        IReadOnlyList<Segment> first, IReadOnlyList<Segment> second, double iouThreshold = DefaultIoUThreshold, bool labelled = true)
    {
        if (!(iouThreshold > 0 && iouThreshold <= 1))
        {
            throw new AgreementException($"the IoU threshold must be above 0 and at most 1, not {iouThreshold}");
        }

        Validate(first);
        Validate(second);

        var labels = first.Select(s => s.Label).Concat(second.Select(s => s.Label)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var overlaps = new List<SegmentLabelOverlap>();
        double intersections = 0, unions = 0;
        foreach (var label in labels)
        {
            var overlap = Overlap(label, first.Where(s => s.Label == label), second.Where(s => s.Label == label));
            overlaps.Add(overlap);
            intersections += overlap.Intersection;
            unions += overlap.Union;
        }

        var pooled = Overlap(string.Empty, first, second);
        var matches = GreedyMatcher.Match(first.Count, second.Count, (i, j) =>
        {
            if (labelled && !string.Equals(first[i].Label, second[j].Label, StringComparison.Ordinal))
            {
                return 0;
            }

            var iou = IoU(first[i], second[j]);
            return iou >= iouThreshold ? iou : 0;
        });

        return new SegmentAgreementResult(overlaps, unions > 0 ? intersections / unions : 1, pooled.IoU, matches);
    }

    /// <summary>Temporal intersection over union of two segments; identical instants count as a perfect match.</summary>
    public static double IoU(Segment first, Segment second)
    {
        var intersection = Math.Max(0, Math.Min(first.End, second.End) - Math.Max(first.Start, second.Start));
        var union = first.Duration + second.Duration - intersection;
        if (union <= 0)
        {
            return first.Start == second.Start && first.End == second.End ? 1 : 0;
        }

        return intersection / union;
    }

    private static SegmentLabelOverlap Overlap(string label, IEnumerable<Segment> first, IEnumerable<Segment> second)
    {
        var a = Merge(first);
        var b = Merge(second);
        var lengthA = a.Sum(r => r.End - r.Start);
        var lengthB = b.Sum(r => r.End - r.Start);

        // Both lists are sorted and disjoint, so one merge-like pass finds every overlap.
        double intersection = 0;
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            intersection += Math.Max(0, Math.Min(a[i].End, b[j].End) - Math.Max(a[i].Start, b[j].Start));
            if (a[i].End < b[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return new SegmentLabelOverlap(label, lengthA, lengthB, intersection, lengthA + lengthB - intersection);
    }

    /// <summary>The time covered, as sorted disjoint intervals: overlapping segments of one annotator count once.</summary>
    private static List<(double Start, double End)> Merge(IEnumerable<Segment> segments)
    {
        var merged = new List<(double Start, double End)>();
        foreach (var segment in segments.OrderBy(s => s.Start))
        {
            if (merged.Count > 0 && segment.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, segment.End));
            }
            else
            {
                merged.Add((segment.Start, segment.End));
            }
        }

        return merged;
    }

    private static void Validate(IReadOnlyList<Segment> segments)
    {
        foreach (var segment in segments)
        {
            if (!double.IsFinite(segment.Start) || !double.IsFinite(segment.End) || segment.End < segment.Start)
            {
                throw new AgreementException(
                    $"segment '{segment.Label}' from {segment.Start} to {segment.End} s needs finite times and must not end before it starts");
            }
        }
    }
}
