namespace LabelBench.Core.Agreement;

/// <summary>
/// Box agreement between two annotators on one image: one-to-one matching greedy by highest IoU, a pair matches when
/// IoU ≥ the threshold (and the labels are equal, unless unlabelled); gives precision, recall, F1 and mean IoU of matches.
/// </summary>
public static class BoxAgreement
{
    public const double DefaultIoUThreshold = 0.5;

    public static MatchAgreement Compare(
        IReadOnlyList<Box> first, IReadOnlyList<Box> second, double iouThreshold = DefaultIoUThreshold, bool labelled = true)
    {
        if (!(iouThreshold > 0 && iouThreshold <= 1))
        {
            throw new AgreementException($"the IoU threshold must be above 0 and at most 1, not {iouThreshold}");
        }

        Validate(first);
        Validate(second);
        return GreedyMatcher.Match(first.Count, second.Count, (i, j) =>
        {
            if (labelled && !string.Equals(first[i].Label, second[j].Label, StringComparison.Ordinal))
            {
                return 0;
            }

            var iou = IoU(first[i], second[j]);
            return iou >= iouThreshold ? iou : 0;
        });
    }

    /// <summary>Intersection over union of two boxes; two identical empty boxes count as a perfect match.</summary>
    public static double IoU(Box first, Box second)
    {
        var width = Math.Min(first.X + first.Width, second.X + second.Width) - Math.Max(first.X, second.X);
        var height = Math.Min(first.Y + first.Height, second.Y + second.Height) - Math.Max(first.Y, second.Y);
        var intersection = width > 0 && height > 0 ? width * height : 0;
        var union = first.Area + second.Area - intersection;
        if (union <= 0)
        {
            return first.X == second.X && first.Y == second.Y && first.Width == second.Width && first.Height == second.Height ? 1 : 0;
        }

        return intersection / union;
    }

    private static void Validate(IReadOnlyList<Box> boxes)
    {
        foreach (var box in boxes)
        {
            if (!double.IsFinite(box.X) || !double.IsFinite(box.Y) || !(box.Width >= 0) || !(box.Height >= 0)
                || !double.IsFinite(box.Width) || !double.IsFinite(box.Height))
            {
                throw new AgreementException(
                    $"box '{box.Label}' at ({box.X}, {box.Y}) needs finite coordinates and a non-negative width and height");
            }
        }
    }
}
