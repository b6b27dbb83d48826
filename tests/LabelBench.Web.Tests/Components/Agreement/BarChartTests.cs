using Bunit;
using LabelBench.Web.Components.Agreement;

namespace LabelBench.Web.Tests.Components.Agreement;

public class BarChartTests : BunitContext
{
    [Fact]
    public void A_long_label_is_cut_to_the_label_column_and_kept_whole_in_the_bars_tooltip()
    {
        const string longName = "rater0-0e3f3a79@e2e.labelbench.test";
        IReadOnlyList<BarChart.Bar> bars = [new(longName, 0.99, "(12)"), new("short@x.io", 0.5, "(3)")];

        var cut = Render<BarChart>(ps => ps.Add(p => p.Bars, bars));

        var labels = cut.FindAll("text[text-anchor='end']").Select(t => t.TextContent).ToList();
        Assert.Equal(["rater0-0e3f3a79@e…", "short@x.io", "1"], labels);
        Assert.Equal($"{longName}: 0.99 (12)", cut.FindAll("rect title")[0].TextContent);
    }
}
