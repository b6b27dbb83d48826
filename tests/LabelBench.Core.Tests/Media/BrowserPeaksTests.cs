using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Core.Media;

namespace LabelBench.Core.Tests.Media;

public class BrowserPeaksTests
{
    private static byte[] Body(double duration, int rate, IEnumerable<double> peaks) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["duration"] = duration,
            ["peaksPerSecond"] = rate,
            ["peaks"] = new JsonArray([.. peaks.Select(p => (JsonNode)p)]),
        }.ToJsonString());

    private static IEnumerable<double> Pairs(int buckets) => Enumerable.Range(0, buckets).SelectMany(b => new[] { -0.123456 * (b % 3), 0.5 });

    [Fact]
    public void Peaks_that_fit_the_file_are_rewritten_in_the_servers_format()
    {
        var json = JsonNode.Parse(BrowserPeaks.Normalise(Body(2.5, 100, Pairs(250)), knownDuration: 2.5))!;

        Assert.Equal(2.5, json["duration"]!.GetValue<double>());
        Assert.Equal(100, json["peaksPerSecond"]!.GetValue<int>());
        Assert.Equal(250, json["length"]!.GetValue<int>());
        Assert.Equal("browser", json["source"]!.GetValue<string>());
        var values = json["peaks"]!.AsArray().Single()!.AsArray();
        Assert.Equal(500, values.Count);
        Assert.Equal(-0.2469, values[4]!.GetValue<double>());
    }

    [Theory]
    [InlineData(9.0, 100, 250, "duration")]
    [InlineData(2.5, 100, 100, "peaks")]
    [InlineData(2.5, 0, 250, "peaksPerSecond")]
    public void Peaks_that_do_not_fit_the_file_name_the_field(double duration, int rate, int buckets, string field)
    {
        var ex = Assert.Throws<BrowserPeaksException>(() => BrowserPeaks.Normalise(Body(duration, rate, Pairs(buckets)), knownDuration: 2.5));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void A_value_outside_minus_one_to_one_is_named_by_its_index()
    {
        var values = Pairs(250).ToArray();
        values[7] = 3;

        var ex = Assert.Throws<BrowserPeaksException>(() => BrowserPeaks.Normalise(Body(2.5, 100, values), knownDuration: 2.5));

        Assert.Equal("peaks[7]", ex.Field);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void A_body_that_is_not_a_peaks_object_is_refused(string body)
    {
        var ex = Assert.Throws<BrowserPeaksException>(() => BrowserPeaks.Normalise(Encoding.UTF8.GetBytes(body), knownDuration: null));

        Assert.Equal("body", ex.Field);
    }
}
