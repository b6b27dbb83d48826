using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class BoxAgreementTests
{
    [Fact]
    public void IoU_of_two_offset_squares()
    {
        // 10×10 squares offset by 5 in x: intersection 50, union 150.
        Assert.Equal(1.0 / 3, BoxAgreement.IoU(new(0, 0, 10, 10, "car"), new(5, 0, 10, 10, "car")), 15);
        Assert.Equal(0, BoxAgreement.IoU(new(0, 0, 10, 10, "car"), new(10, 0, 10, 10, "car")));
    }

    [Fact]
    public void Boxes_match_when_IoU_reaches_the_threshold_and_labels_agree()
    {
        Box[] first = [new(0, 0, 10, 10, "car"), new(50, 50, 10, 10, "person")];
        Box[] second = [new(1, 0, 10, 10, "car"), new(50, 50, 10, 10, "bike"), new(100, 100, 5, 5, "car")];

        var labelled = BoxAgreement.Compare(first, second);
        var unlabelled = BoxAgreement.Compare(first, second, labelled: false);
        var strict = BoxAgreement.Compare(first, second, iouThreshold: 0.9);

        Assert.Equal(1, labelled.Matched);
        Assert.Equal(90.0 / 110, labelled.MeanIoU, 15);
        Assert.Equal(1.0 / 3, labelled.Precision, 15);
        Assert.Equal(0.5, labelled.Recall, 15);
        Assert.Equal(2, unlabelled.Matched);
        Assert.Equal(0, strict.Matched);
    }

    [Fact]
    public void Matching_is_one_to_one_by_highest_IoU()
    {
        // Two boxes of the second annotator overlap the first one's box; the better one matches, the other is left over.
        Box[] first = [new(0, 0, 10, 10, "car")];
        Box[] second = [new(2, 0, 10, 10, "car"), new(0, 0, 10, 10, "car")];

        var result = BoxAgreement.Compare(first, second);

        Assert.Equal(1, result.Matched);
        Assert.Equal(1, result.MeanIoU);
    }

    [Fact]
    public void Threshold_and_box_sizes_are_checked()
    {
        Assert.Throws<AgreementException>(() => BoxAgreement.Compare([], [], iouThreshold: 0));
        Assert.Throws<AgreementException>(() => BoxAgreement.Compare([new(0, 0, -1, 1, "x")], []));
    }
}
