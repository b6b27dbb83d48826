using System.Globalization;
using System.Xml.Linq;
using LabelBench.Core.Export;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class VocExporterTests
{
    private static List<ExportItem> Items() =>
    [
        ImageItem(1, "street-01.png", 640, 480, """{"objects": [{"x": 10.4, "y": 20.6, "width": 100, "height": 50, "label": "car"}, {"x": 600, "y": 400, "width": 60, "height": 100, "label": "person"}]}""", "train"),
        ImageItem(2, "park.png", 200, 100, """{"objects": []}""", "test"),
        ImageItem(3, "plaza.png", 200, 100, null),
    ];

    private static async Task<Dictionary<string, byte[]>> ExportAsync(ExportSource source = ExportSource.Final, List<ExportItem>? items = null) =>
        Unzip(await ExportFormatSamples.ExportAsync("voc", items ?? Items(), new ExportOptions { Source = source, Schema = Image, Media = ExportFormatSamples.Media() }));

    private static int Int(XElement parent, string name) => int.Parse(parent.Element(name)!.Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_xml_file_has_the_required_voc_elements_and_boxes_within_the_image()
    {
        var files = await ExportAsync();

        var xmlFiles = files.Where(f => f.Key.StartsWith("Annotations/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Annotations/park.xml", "Annotations/street-01.xml"], xmlFiles.Select(f => f.Key).Order());
        foreach (var (_, bytes) in xmlFiles)
        {
            var root = XDocument.Parse(Utf8Text(bytes)).Root!;
            Assert.Equal("annotation", root.Name.LocalName);
            Assert.Equal("JPEGImages", root.Element("folder")!.Value);
            Assert.False(string.IsNullOrEmpty(root.Element("filename")!.Value));
            var size = root.Element("size")!;
            var (width, height) = (Int(size, "width"), Int(size, "height"));
            Assert.Equal(3, Int(size, "depth"));
            Assert.Equal("0", root.Element("segmented")!.Value);
            foreach (var obj in root.Elements("object"))
            {
                Assert.Contains(obj.Element("name")!.Value, new[] { "car", "person", "tree" });
                Assert.Equal(0, Int(obj, "difficult"));
                var box = obj.Element("bndbox")!;
                Assert.InRange(Int(box, "xmin"), 1, Int(box, "xmax"));
                Assert.InRange(Int(box, "xmax"), Int(box, "xmin"), width);
                Assert.InRange(Int(box, "ymin"), 1, Int(box, "ymax"));
                Assert.InRange(Int(box, "ymax"), Int(box, "ymin"), height);
            }
        }
    }

    [Fact]
    public async Task Boxes_are_whole_one_based_pixels_and_clipped_boxes_are_truncated()
    {
        var root = XDocument.Parse(Utf8Text((await ExportAsync())["Annotations/street-01.xml"])).Root!;

        var objects = root.Elements("object").ToList();
        var car = objects[0].Element("bndbox")!;
        Assert.Equal([11, 22, 110, 71], new[] { "xmin", "ymin", "xmax", "ymax" }.Select(n => Int(car, n)));
        Assert.Equal(0, Int(objects[0], "truncated"));
        var person = objects[1].Element("bndbox")!;
        Assert.Equal([601, 401, 640, 480], new[] { "xmin", "ymin", "xmax", "ymax" }.Select(n => Int(person, n)));
        Assert.Equal(1, Int(objects[1], "truncated"));
        Assert.Equal("street-01.png", root.Element("filename")!.Value);
    }

    [Fact]
    public async Task Images_and_image_sets_are_included()
    {
        var files = await ExportAsync();

        Assert.Equal("PNG:hash-1", Utf8Text(files["JPEGImages/street-01.png"]));
        Assert.Equal("street-01\n", Utf8Text(files["ImageSets/Main/train.txt"]));
        Assert.Equal("park\n", Utf8Text(files["ImageSets/Main/test.txt"]));
    }

    [Fact]
    public async Task All_source_writes_one_xml_per_annotation_naming_the_shared_image()
    {
        var items = new List<ExportItem>
        {
            ImageItem(1, "a.png", 100, 100, null, null,
                Annotation(1, "annotator-aaaaaa", """{"objects": [{"x": 0, "y": 0, "width": 50, "height": 50, "label": "car"}]}"""),
                Annotation(2, "annotator-bbbbbb", """{"objects": []}""")),
        };

        var files = await ExportAsync(ExportSource.All, items);

        Assert.Equal("a.png", XDocument.Parse(Utf8Text(files["Annotations/a__annotator-aaaaaa.xml"])).Root!.Element("filename")!.Value);
        Assert.True(files.ContainsKey("Annotations/a__annotator-bbbbbb.xml"));
        Assert.Single(files.Keys, k => k.StartsWith("JPEGImages/", StringComparison.Ordinal));
    }
}
