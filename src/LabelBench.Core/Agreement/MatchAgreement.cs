namespace LabelBench.Core.Agreement;

/// <summary>
/// One-to-one matching of the first annotator's objects (spans, boxes, segments) with the second's: <see cref="Recall"/>
/// takes the first as reference, <see cref="Precision"/> the second, and <see cref="F1"/> is symmetric (2·matched / total).
/// When neither annotator marked anything they agree perfectly: precision, recall and F1 are 1.
/// </summary>
public sealed record MatchAgreement(int Matched, int CountFirst, int CountSecond, double IoUSum = 0)
{
    public static MatchAgreement None { get; } = new(0, 0, 0);

    /// <summary>Matched / objects of the second annotator; 0 when only the first marked something.</summary>
    public double Precision => CountSecond == 0 ? (CountFirst == 0 ? 1 : 0) : (double)Matched / CountSecond;

    /// <summary>Matched / objects of the first annotator; 0 when only the second marked something.</summary>
    public double Recall => CountFirst == 0 ? (CountSecond == 0 ? 1 : 0) : (double)Matched / CountFirst;

    public double F1 => CountFirst + CountSecond == 0 ? 1 : 2.0 * Matched / (CountFirst + CountSecond);

    /// <summary>Mean IoU of the matched pairs; NaN when nothing matched.</summary>
    public double MeanIoU => Matched == 0 ? double.NaN : IoUSum / Matched;

    public static MatchAgreement operator +(MatchAgreement left, MatchAgreement right) => left.Add(right);

    /// <summary>Pools counts, so that precision, recall and F1 over many items are micro-averages.</summary>
    public MatchAgreement Add(MatchAgreement other) =>
        new(Matched + other.Matched, CountFirst + other.CountFirst, CountSecond + other.CountSecond, IoUSum + other.IoUSum);

    public static MatchAgreement Sum(IEnumerable<MatchAgreement> items) => items.Aggregate(None, (total, item) => total.Add(item));
}
