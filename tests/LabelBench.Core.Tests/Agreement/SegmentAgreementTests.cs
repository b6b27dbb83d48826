using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class SegmentAgreementTests
{
    [Fact]
    public void Coverage_is_compared_per_label_with_overlapping_segments_merged()
    {
        // speech: first covers 0–4 (two overlapping segments), second 2–6 → intersection 2, union 6.
        // music: first 10–12, second nothing → intersection 0, union 2.
        Segment[] first = [new(0, 3, "speech"), new(1, 4, "speech"), new(10, 12, "music")];
        Segment[] second = [new(2, 6, "speech")];

        var result = SegmentAgreement.Compare(first, second);

        var music = result.Labels[0];
        var speech = result.Labels[1];
        Assert.Equal(("music", 2.0, 0.0, 0.0, 2.0), (music.Label, music.SecondsFirst, music.SecondsSecond, music.Intersection, music.Union));
        Assert.Equal(("speech", 4.0, 4.0, 2.0, 6.0), (speech.Label, speech.SecondsFirst, speech.SecondsSecond, speech.Intersection, speech.Union));
        Assert.Equal(1.0 / 3, speech.IoU, 15);
        Assert.Equal(2.0 / 8, result.CoverageIoU, 15);
        Assert.Equal(2.0 / 8, result.UnlabelledCoverageIoU, 15);
    }

    [Fact]
    public void Segments_match_one_to_one_at_a_temporal_IoU_threshold()
    {
        Segment[] first = [new(0, 10, "speech"), new(20, 30, "speech")];
        Segment[] second = [new(1, 10, "speech"), new(25, 35, "speech")];

        var loose = SegmentAgreement.Compare(first, second, iouThreshold: 0.3);
        var strict = SegmentAgreement.Compare(first, second, iouThreshold: 0.5);

        Assert.Equal(2, loose.Matches.Matched);
        Assert.Equal((0.9 + (5.0 / 15)) / 2, loose.Matches.MeanIoU, 15);
        Assert.Equal(1, strict.Matches.Matched);
        Assert.Equal(0.5, strict.Matches.F1);
    }

    [Fact]
    public void Labels_must_agree_unless_unlabelled()
    {
        Segment[] first = [new(0, 10, "speech")];
        Segment[] second = [new(0, 10, "music")];

        Assert.Equal(0, SegmentAgreement.Compare(first, second).Matches.Matched);
        Assert.Equal(0, SegmentAgreement.Compare(first, second).CoverageIoU);
        Assert.Equal(1, SegmentAgreement.Compare(first, second, labelled: false).Matches.Matched);
        Assert.Equal(1, SegmentAgreement.Compare(first, second).UnlabelledCoverageIoU);
    }

    [Fact]
    public void No_segments_on_either_side_is_perfect_agreement()
    {
        var result = SegmentAgreement.Compare([], []);

        Assert.Equal((1.0, 1.0), (result.CoverageIoU, result.Matches.F1));
    }

    [Fact]
    public void A_segment_ending_before_it_starts_is_refused()
    {
        Assert.Throws<AgreementException>(() => SegmentAgreement.Compare([new(3, 1, "x")], []));
    }
}
