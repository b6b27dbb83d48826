using LabelBench.Core.Export;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class ExportFilterTests
{
    private static ExportItem Sample() => Item(1, """{"text": "x"}""", """{"sentiment": "positive", "stars": 4}""", "train",
        Annotation(1, "annotator-aaaaaa", """{"sentiment": "positive", "entities": [{"start": 0, "end": 1, "label": "PER"}]}"""),
        Annotation(20, "annotator-bbbbbb", """{"sentiment": "neutral"}"""));

    [Fact]
    public void Split_filter_keeps_only_that_split()
    {
        Assert.NotNull(new ExportFilter { Split = "train" }.Apply(Sample(), ExportSource.Final));
        Assert.Null(new ExportFilter { Split = "test" }.Apply(Sample(), ExportSource.Final));
    }

    [Theory]
    [InlineData("positive", ExportSource.Final, true)]
    [InlineData("neutral", ExportSource.Final, false)]
    [InlineData("neutral", ExportSource.All, true)]
    [InlineData("PER", ExportSource.All, true)]
    [InlineData("4", ExportSource.Final, true)]
    [InlineData("ORG", ExportSource.All, false)]
    public void Label_filter_looks_at_the_final_result_or_any_annotation(string label, ExportSource source, bool kept)
    {
        Assert.Equal(kept, new ExportFilter { Label = label }.Apply(Sample(), source) is not null);
    }

    [Fact]
    public void Annotator_and_dates_select_items_and_with_all_only_those_annotations()
    {
        var byB = new ExportFilter { Annotator = "annotator-bbbbbb" }.Apply(Sample(), ExportSource.All)!;
        Assert.Equal([20L], byB.Annotations.Select(a => a.Id));
        Assert.Equal(2, new ExportFilter { Annotator = "annotator-bbbbbb" }.Apply(Sample(), ExportSource.Final)!.Annotations.Count);
        Assert.Null(new ExportFilter { Annotator = "annotator-cccccc" }.Apply(Sample(), ExportSource.All));

        var early = new ExportFilter { From = At, To = At.AddMinutes(10) }.Apply(Sample(), ExportSource.All)!;
        Assert.Equal([1L], early.Annotations.Select(a => a.Id));
        Assert.Null(new ExportFilter { From = At.AddDays(1) }.Apply(Sample(), ExportSource.Final));
    }
}
