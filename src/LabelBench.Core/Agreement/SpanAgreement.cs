namespace LabelBench.Core.Agreement;

/// <summary>
/// Span F1 between two annotators' span lists for one text: strict (same start and end) or overlap (any overlap,
/// one-to-one, greedy by character IoU), labelled (labels must be equal) or unlabelled. Sum the results of many
/// texts with <see cref="MatchAgreement.Sum"/> for a micro-average.
/// </summary>
public static class SpanAgreement
{
    public static MatchAgreement Compare(
        IReadOnlyList<Span> first, IReadOnlyList<Span> second, SpanMatching matching = SpanMatching.Strict, bool labelled = true)
    {
        Validate(first);
        Validate(second);
        return GreedyMatcher.Match(first.Count, second.Count, (i, j) =>
        {
            var a = first[i];
            var b = second[j];
            if (labelled && !string.Equals(a.Label, b.Label, StringComparison.Ordinal))
            {
                return 0;
            }

            if (matching == SpanMatching.Strict)
            {
                return a.Start == b.Start && a.End == b.End ? 1 : 0;
            }

            return IoU(a, b);
        });
    }

    /// <summary>Characters in common over characters in either; 0 when the spans do not overlap.</summary>
    public static double IoU(Span first, Span second)
    {
        var overlap = Math.Min(first.End, second.End) - Math.Max(first.Start, second.Start);
        if (overlap <= 0)
        {
            return 0;
        }

        return (double)overlap / (first.Length + second.Length - overlap);
    }

    private static void Validate(IReadOnlyList<Span> spans)
    {
        foreach (var span in spans)
        {
            if (span.Start < 0 || span.End < span.Start)
            {
                throw new AgreementException($"span [{span.Start}, {span.End}) '{span.Label}' must start at 0 or later and not end before it starts");
            }
        }
    }
}
