using System.Globalization;
using LabelBench.Core.Export;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class YoloExporterTests
{
    private static List<ExportItem> Items() =>
    [
        ImageItem(1, "street-01.png", 640, 480, """{"objects": [{"x": 10, "y": 20, "width": 100, "height": 50, "label": "car"}, {"x": 600, "y": 400, "width": 60, "height": 100, "label": "tree"}]}""", "train"),
        ImageItem(2, "park.png", 200, 100, """{"objects": []}""", "validation"),
        ImageItem(3, "plaza.png", 200, 100, """{"objects": [{"x": 50, "y": 25, "width": 100, "height": 50, "label": "person"}]}"""),
    ];

    private static ExportOptions Options(ExportSource source = ExportSource.Final, IReadOnlyList<string>? splits = null) =>
        new() { Source = source, Schema = Image, Splits = splits ?? ["train", "validation"], Media = ExportFormatSamples.Media() };

    [Fact]
    public async Task Labels_are_normalised_class_cx_cy_w_h_with_valid_class_ids()
    {
        var files = Unzip(await ExportAsync("yolo", Items(), Options()));

        var labelFiles = files.Where(f => f.Key.StartsWith("labels/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, labelFiles.Count);
        foreach (var (_, bytes) in labelFiles)
        {
            foreach (var line in Utf8Text(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                Assert.Equal(5, parts.Length);
                Assert.InRange(int.Parse(parts[0], CultureInfo.InvariantCulture), 0, 2);
                Assert.All(parts.Skip(1), p =>
                {
                    Assert.Matches(@"^\d\.\d{6}$", p);
                    Assert.InRange(double.Parse(p, CultureInfo.InvariantCulture), 0, 1);
                });
            }
        }

        var first = Utf8Text(files["labels/train/street-01.txt"]).Split('\n');
        Assert.Equal("0 0.093750 0.093750 0.156250 0.104167", first[0]);
        Assert.Equal("2 0.968750 0.916667 0.062500 0.166667", first[1]);
        Assert.Equal(string.Empty, Utf8Text(files["labels/validation/park.txt"]));
    }

    [Fact]
    public async Task Images_labels_and_data_yaml_follow_the_split_layout()
    {
        var files = Unzip(await ExportAsync("yolo", Items(), Options()));

        Assert.Equal("PNG:hash-1", Utf8Text(files["images/train/street-01.png"]));
        Assert.True(files.ContainsKey("images/validation/park.png"));
        Assert.True(files.ContainsKey("images/train/plaza.png"));
        var yaml = Utf8Text(files["data.yaml"]);
        Assert.Contains("train: images/train\n", yaml, StringComparison.Ordinal);
        Assert.Contains("val: images/validation\n", yaml, StringComparison.Ordinal);
        Assert.Contains("nc: 3\n", yaml, StringComparison.Ordinal);
        Assert.Contains("names:\n  0: \"car\"\n  1: \"person\"\n  2: \"tree\"\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_splits_files_are_flat()
    {
        var files = Unzip(await ExportAsync("yolo", Items(), Options(splits: [])));

        Assert.True(files.ContainsKey("images/street-01.png"));
        Assert.True(files.ContainsKey("labels/street-01.txt"));
        Assert.Contains("train: images\n", Utf8Text(files["data.yaml"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_source_writes_one_image_and_label_pair_per_annotation()
    {
        var items = new List<ExportItem>
        {
            ImageItem(1, "a.png", 100, 100, null, null,
                Annotation(1, "annotator-aaaaaa", """{"objects": [{"x": 0, "y": 0, "width": 50, "height": 50, "label": "car"}]}"""),
                Annotation(2, "annotator-bbbbbb", """{"objects": []}""")),
        };

        var files = Unzip(await ExportAsync("yolo", items, Options(ExportSource.All, [])));

        Assert.Equal("0 0.250000 0.250000 0.500000 0.500000\n", Utf8Text(files["labels/a__annotator-aaaaaa.txt"]));
        Assert.Equal(string.Empty, Utf8Text(files["labels/a__annotator-bbbbbb.txt"]));
        Assert.True(files.ContainsKey("images/a__annotator-aaaaaa.png"));
    }

    [Fact]
    public async Task Missing_media_is_counted_and_labels_are_still_written()
    {
        using var stream = new MemoryStream();

        var result = await ExportFormats.WriteAsync("yolo", Stream(Items()), stream, Options() with { Media = new DelegateMediaReader(_ => null) });

        Assert.Equal(new ExportResult(3, 0, 3), result);
        Assert.DoesNotContain(Unzip(stream.ToArray()).Keys, k => k.StartsWith("images/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Same_input_gives_the_same_bytes()
    {
        Assert.Equal(await ExportAsync("yolo", Items(), Options()), await ExportAsync("yolo", Items(), Options()));
    }
}
