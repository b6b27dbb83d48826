using System.Text.Json.Nodes;
using LabelBench.Core.Export;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class CocoExporterTests
{
    private static List<ExportItem> Items() =>
    [
        ImageItem(7, "street-01.png", 640, 480, """
            {"objects": [{"x": 10, "y": 20, "width": 100, "height": 50, "label": "car"}, {"x": 600, "y": 400, "width": 40, "height": 80, "label": "person"}],
             "areas": [{"points": [[0, 0], [100, 0], [100, 100], [0, 100]], "label": "road"}],
             "pose": [{"x": 50, "y": 60, "label": "nose"}, {"x": 40, "y": 50, "label": "left_eye"}, {"x": 300, "y": 200, "label": "nose"}]}
            """),
        ImageItem(8, "street-02.png", 320, 240, null),
        ImageItem(9, "nested/street-01.png", 320, 240, """{"objects": [{"x": 0, "y": 0, "width": 320, "height": 240, "label": "tree"}], "areas": [{"points": [[0, 0], [10, 0], [0, 10]], "label": "car"}]}"""),
        Item(10, """{"image": "unknown-size.png"}""", """{"objects": [{"x": 1, "y": 1, "width": 2, "height": 2, "label": "car"}]}"""),
    ];

    private static async Task<JsonObject> ExportAsync(ExportSource source = ExportSource.Final, List<ExportItem>? items = null) =>
        JsonNode.Parse(await ExportFormatSamples.ExportAsync("coco", items ?? Items(), new ExportOptions { Source = source, Schema = Image }))!.AsObject();

    [Fact]
    public async Task Categories_are_the_schema_labels_in_order_then_one_keypoints_category_per_field()
    {
        var coco = await ExportAsync();

        var categories = coco["categories"]!.AsArray();
        Assert.Equal([1, 2, 3, 4, 5], categories.Select(c => c!["id"]!.GetValue<int>()));
        Assert.Equal(["car", "person", "tree", "road", "pose"], categories.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["nose", "left_eye", "right_eye"], categories[4]!["keypoints"]!.AsArray().Select(k => k!.GetValue<string>()));
    }

    [Fact]
    public async Task Ids_are_consistent_and_boxes_lie_within_their_image()
    {
        var coco = await ExportAsync();

        var images = coco["images"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<long>(), i => i!.AsObject());
        var categories = coco["categories"]!.AsArray().Select(c => c!["id"]!.GetValue<int>()).ToHashSet();
        var annotations = coco["annotations"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Assert.Equal([7L, 9L], images.Keys.Order());
        Assert.Equal(Enumerable.Range(1, annotations.Count).Select(i => (long)i), annotations.Select(a => a["id"]!.GetValue<long>()));
        Assert.All(annotations, a =>
        {
            var image = images[a["image_id"]!.GetValue<long>()];
            Assert.Contains(a["category_id"]!.GetValue<int>(), categories);
            var box = a["bbox"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.True(box[0] >= 0 && box[1] >= 0 && box[2] >= 0 && box[3] >= 0);
            Assert.True(box[0] + box[2] <= image["width"]!.GetValue<int>());
            Assert.True(box[1] + box[3] <= image["height"]!.GetValue<int>());
            Assert.Equal(0, a["iscrowd"]!.GetValue<int>());
            Assert.True(a.ContainsKey("area"));
        });
        Assert.Equal("street-01.png", images[7]["file_name"]!.GetValue<string>());
        Assert.Equal("street-01-9.png", images[9]["file_name"]!.GetValue<string>());
        Assert.Equal(640, images[7]["width"]!.GetValue<int>());
    }

    [Fact]
    public async Task Boxes_polygons_and_keypoints_become_coco_annotations()
    {
        var annotations = (await ExportAsync())["annotations"]!.AsArray().Where(a => a!["image_id"]!.GetValue<long>() == 7).Select(a => a!.AsObject()).ToList();

        var car = annotations[0];
        Assert.Equal(1, car["category_id"]!.GetValue<int>());
        Assert.Equal([10d, 20d, 100d, 50d], car["bbox"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(5000d, car["area"]!.GetValue<double>());
        Assert.Empty(car["segmentation"]!.AsArray());

        var road = annotations.Single(a => a["category_id"]!.GetValue<int>() == 4);
        Assert.Equal([0d, 0d, 100d, 0d, 100d, 100d, 0d, 100d], road["segmentation"]![0]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(10000d, road["area"]!.GetValue<double>());
        Assert.Equal([0d, 0d, 100d, 100d], road["bbox"]!.AsArray().Select(v => v!.GetValue<double>()));

        var poses = annotations.Where(a => a["category_id"]!.GetValue<int>() == 5).ToList();
        Assert.Equal(2, poses.Count);
        Assert.Equal([50d, 60d, 2d, 40d, 50d, 2d, 0d, 0d, 0d], poses[0]["keypoints"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(2, poses[0]["num_keypoints"]!.GetValue<int>());
        Assert.Equal([40d, 50d, 10d, 10d], poses[0]["bbox"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(1, poses[1]["num_keypoints"]!.GetValue<int>());
    }

    [Fact]
    public async Task All_source_adds_every_annotators_regions_to_the_one_image()
    {
        var items = new List<ExportItem>
        {
            ImageItem(1, "a.png", 100, 100, null, null,
                Annotation(1, "annotator-aaaaaa", """{"objects": [{"x": 1, "y": 1, "width": 5, "height": 5, "label": "car"}]}"""),
                Annotation(2, "annotator-bbbbbb", """{"objects": [{"x": 2, "y": 2, "width": 5, "height": 5, "label": "tree"}]}""")),
        };

        var coco = await ExportAsync(ExportSource.All, items);

        Assert.Single(coco["images"]!.AsArray());
        Assert.Equal(["annotator-aaaaaa", "annotator-bbbbbb"], coco["annotations"]!.AsArray().Select(a => a!["annotator"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_item_without_image_size_is_skipped_and_counted()
    {
        using var stream = new MemoryStream();

        var result = await ExportFormats.WriteAsync("coco", Stream(Items()), stream, new ExportOptions { Source = ExportSource.Final, Schema = Image });

        Assert.Equal(2, result.Records);
        Assert.Equal(1, result.Skipped);
    }

    [Fact]
    public async Task Same_input_gives_the_same_bytes()
    {
        var options = new ExportOptions { Source = ExportSource.Final, Schema = Image };

        Assert.Equal(await ExportFormatSamples.ExportAsync("coco", Items(), options), await ExportFormatSamples.ExportAsync("coco", Items(), options));
    }
}
