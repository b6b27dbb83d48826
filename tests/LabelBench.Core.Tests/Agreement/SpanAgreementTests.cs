using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class SpanAgreementTests
{
    private static readonly Span[] First = [new(0, 5, "PER"), new(10, 20, "ORG"), new(30, 35, "LOC")];

    [Fact]
    public void Strict_matching_needs_the_same_offsets_and_label()
    {
        Span[] second = [new(0, 5, "PER"), new(10, 19, "ORG"), new(30, 35, "PER")];

        var result = SpanAgreement.Compare(First, second);

        Assert.Equal(1, result.Matched);
        Assert.Equal(1.0 / 3, result.F1, 15);
        Assert.Equal(2, SpanAgreement.Compare(First, second, labelled: false).Matched);
    }

    [Fact]
    public void Overlap_matching_counts_any_overlap_one_to_one()
    {
        // (10,19) overlaps (10,20): IoU 9/10. Both second spans overlap the first ORG span, only one may take it.
        Span[] second = [new(0, 5, "PER"), new(10, 19, "ORG"), new(15, 25, "ORG")];

        var result = SpanAgreement.Compare(First, second, SpanMatching.Overlap);

        Assert.Equal(2, result.Matched);
        Assert.Equal(2.0 / 3, result.Precision, 15);
        Assert.Equal(2.0 / 3, result.Recall, 15);
        Assert.Equal((1 + 0.9) / 2, result.MeanIoU, 15);
    }

    [Fact]
    public void Greedy_matching_takes_the_highest_overlap_first()
    {
        // In list order a0 would take b0 (IoU 8/12) and a1 b1 (5/30). By IoU, a0–b1 (1) goes first, then a1–b0 (7/26).
        Span[] first = [new(0, 10, "X"), new(5, 30, "X")];
        Span[] second = [new(4, 12, "X"), new(0, 10, "X")];

        var result = SpanAgreement.Compare(first, second, SpanMatching.Overlap);

        Assert.Equal(2, result.Matched);
        Assert.Equal((1 + (7.0 / 26)) / 2, result.MeanIoU, 15);
    }

    [Fact]
    public void End_is_exclusive_so_touching_spans_do_not_overlap()
    {
        Assert.Equal(0, SpanAgreement.Compare([new(0, 5, "X")], [new(5, 9, "X")], SpanMatching.Overlap).Matched);
    }

    [Fact]
    public void Two_empty_lists_agree_perfectly_and_one_empty_list_not_at_all()
    {
        Assert.Equal(1, SpanAgreement.Compare([], []).F1);
        var oneSided = SpanAgreement.Compare(First, []);
        Assert.Equal((0, 0, 0), (oneSided.F1, oneSided.Precision, oneSided.Recall));
    }

    [Fact]
    public void Results_of_many_texts_pool_into_a_micro_average()
    {
        var a = SpanAgreement.Compare(First, First);
        var b = SpanAgreement.Compare([new(0, 1, "X")], [new(2, 3, "X")]);

        var total = MatchAgreement.Sum([a, b]);

        Assert.Equal((3, 4, 4), (total.Matched, total.CountFirst, total.CountSecond));
        Assert.Equal(0.75, total.F1);
    }

    [Fact]
    public void A_span_ending_before_it_starts_is_refused()
    {
        Assert.Throws<AgreementException>(() => SpanAgreement.Compare([new(5, 2, "X")], []));
    }
}
