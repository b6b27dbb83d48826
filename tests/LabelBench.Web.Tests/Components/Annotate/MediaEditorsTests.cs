using System.Text.Json;
using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Core.Schemas;
using LabelBench.Web.Components.Annotate;
using LabelBench.Web.Components.Review;

namespace LabelBench.Web.Tests.Components.Annotate;

/// <summary>
/// The .NET side of the image and audio editors: what they render around the browser module, what they hand it
/// (shapes, labels, colours, hotkeys, media addresses) and what they raise when it reports an edit.
/// </summary>
public sealed class MediaEditorsTests : MudComponentTest
{
    private const string ImageSchema = """
        {"fields": [
          {"name": "objects", "kind": "boxes", "source": "image", "labels": [{"value": "car", "color": "#e53935", "hotkey": "c"}, {"value": "tree", "hotkey": "t"}]},
          {"name": "areas", "kind": "polygons", "source": "image", "labels": [{"value": "cloud", "color": "#607d8b", "hotkey": "l"}]},
          {"name": "landmarks", "kind": "keypoints", "source": "image", "labels": [{"value": "sun", "hotkey": "u"}]},
          {"name": "setting", "kind": "choices", "source": "image", "options": [{"value": "street", "hotkey": "1"}]}
        ]}
        """;

    private const string AudioSchema = """
        {"fields": [
          {"name": "regions", "kind": "segments", "source": "audio", "labels": [{"value": "speech", "color": "#1e88e5", "hotkey": "1"}, {"value": "tone", "hotkey": "2"}]}
        ]}
        """;

    private static readonly ItemMedia Image = ItemMedia.For(3, 7, "image/png", 640, 480, null)!;
    private static readonly ItemMedia Wav = ItemMedia.For(1, 2, "audio/wav", null, null, 5.5)!;

    private static JsonObject Arg(object? argument) => JsonNode.Parse(JsonSerializer.Serialize(argument))!.AsObject();

    private static JsonArray ArgArray(object? argument) => JsonNode.Parse(JsonSerializer.Serialize(argument))!.AsArray();

    [Fact]
    public void Image_fields_share_one_editor_over_the_authorised_media_with_their_shapes_listed()
    {
        var module = JSInterop.SetupModule("./js/image-editor.js");
        module.Mode = JSRuntimeMode.Loose;
        var value = new JsonObject
        {
            ["objects"] = new JsonArray(new JsonObject { ["x"] = 192, ["y"] = 24, ["width"] = 96, ["height"] = 52.8, ["label"] = "car" }),
            ["areas"] = new JsonArray(new JsonObject { ["points"] = new JsonArray(new JsonArray(1, 2), new JsonArray(30, 2), new JsonArray(9, 40)), ["label"] = "cloud" }),
        };

        var cut = Render<AnnotationForm>(ps => ps
            .Add(p => p.Schema, Schema(ImageSchema))
            .Add(p => p.Value, value)
            .Add(p => p.Media, Image)
            .Add(p => p.ItemKey, "item-7"));

        // One image, one editor: the polygon and keypoint fields are layers of the boxes field's editor.
        var img = Assert.Single(cut.FindAll("[data-testid=image-stage] img"));
        Assert.Equal("/api/v1/projects/3/items/7/media", img.GetAttribute("src"));
        Assert.Equal(["field-objects", "field-setting"], cut.FindAll("[data-testid^=field-]").Select(e => e.GetAttribute("data-testid")));
        Assert.Equal("objects, areas, landmarks", Normalize(cut.Find("[data-testid=field-objects] .lb-field-title").TextContent));
        Assert.Equal(["objects", "areas", "landmarks"], cut.FindAll("[data-testid^=layer-visible-]").Select(e => e.GetAttribute("data-testid")!["layer-visible-".Length..]));
        var chips = cut.FindAll("[data-testid=shape-chip]");
        Assert.Equal(["objects:car", "areas:cloud"], chips.Select(c => $"{c.GetAttribute("data-field")}:{c.GetAttribute("data-label")}"));
        Assert.Contains("192, 24 · 96×52.8 px", chips[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("3 points", chips[1].TextContent, StringComparison.Ordinal);

        // The browser gets the image's size, each label with its schema colour (or the palette's) and hotkey, and the
        // shapes per layer, unchanged.
        var attach = module.Invocations["attach"].Single();
        var options = Arg(attach.Arguments[2]);
        Assert.Equal(640, options["width"]!.GetValue<int>());
        Assert.Equal(480, options["height"]!.GetValue<int>());
        var labels = options["labels"]!.AsArray().Select(l => $"{l!["layer"]}/{l["value"]}/{l["color"]}/{l["hotkey"]}").ToList();
        Assert.Equal(["objects/car/#e53935/c", "objects/tree/#8e24aa/t", "areas/cloud/#607d8b/l", "landmarks/sun/#1e88e5/u"], labels);
        var layers = ArgArray(attach.Arguments[3]);
        Assert.Equal(["objects:box:1", "areas:polygon:1", "landmarks:point:0"], layers.Select(l => $"{l!["id"]}:{l["kind"]}:{l["shapes"]!.AsArray().Count}"));
        Assert.True(JsonNode.DeepEquals(value["objects"], layers[0]!["shapes"]));
    }

    [Fact]
    public async Task A_layer_finished_in_the_browser_sets_its_field_and_an_emptied_layer_removes_it()
    {
        var edits = new List<FieldEdit>();
        var schema = Schema(ImageSchema);
        var cut = Render<ImageRegionsEditor>(ps => ps
            .Add(p => p.Fields, schema.Fields.Where(f => f.Kind.IsImageKind()).ToList())
            .Add(p => p.Value, [])
            .Add(p => p.Media, Image)
            .Add(p => p.FieldChanged, (FieldEdit e) => edits.Add(e)));

        await cut.InvokeAsync(() => cut.Instance.OnShapesChanged("landmarks", """[{"x": 512.5, "y": 48, "label": "sun"}]"""));
        await cut.InvokeAsync(() => cut.Instance.OnShapesChanged("areas", "[]"));
        await cut.InvokeAsync(() => cut.Instance.OnShapesChanged("not-a-field", """[{"x": 1, "y": 1}]"""));

        Assert.Equal(2, edits.Count);
        Assert.Equal("landmarks", edits[0].Field);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"x": 512.5, "y": 48, "label": "sun"}]"""), edits[0].Value));
        Assert.Equal(new FieldEdit("areas", null), edits[1]);
    }

    [Fact]
    public void The_editors_own_their_label_keys_and_the_shortcut_sheet_lists_them()
    {
        var schema = Schema(ImageSchema);

        // The workspace forwards choice keys to .NET; shape label keys are taken by the editor in the browser.
        Assert.Equal(["1"], WorkspaceKeymap.For(schema.Fields).Keys);
        var sheet = Render<ShortcutSheet>(ps => ps.Add(p => p.Schema, schema));
        Assert.Contains("objects: car (new shapes; relabels the selected one)", Normalize(sheet.Markup), StringComparison.Ordinal);
        Assert.Contains("image: zoom, fit, pan", Normalize(sheet.Markup), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audio_regions_are_listed_by_start_with_transcripts_and_the_browser_loads_the_stored_peaks()
    {
        var module = JSInterop.SetupModule("./js/audio-editor.js");
        module.Mode = JSRuntimeMode.Loose;
        var field = Schema(AudioSchema).Fields[0];
        var value = JsonNode.Parse("""[{"start": 2, "end": 3.25, "label": "tone"}, {"start": 0.5, "end": 1, "label": "speech", "text": "hello"}]""");
        var raised = new List<JsonNode?>();

        var cut = Render<AudioSegmentsEditor>(ps => ps
            .Add(p => p.Field, field)
            .Add(p => p.Value, value)
            .Add(p => p.Media, Wav)
            .Add(p => p.ValueChanged, (JsonNode? v) => raised.Add(v)));

        Assert.Single(cut.FindAll("[data-testid=audio-waveform]"));
        Assert.Equal(["speech", "tone"], cut.FindAll("[data-testid=region-row]").Select(r => r.GetAttribute("data-label")));
        Assert.Equal(["hello", ""], cut.FindAll("[data-testid=region-text]").Select(i => i.GetAttribute("value") ?? string.Empty));
        Assert.Contains("0.50–1.00 s", cut.FindAll("[data-testid=region-chip]")[0].TextContent, StringComparison.Ordinal);

        var attach = module.Invocations["attach"].Single();
        var media = Arg(attach.Arguments[3]);
        Assert.Equal("/api/v1/projects/1/items/2/media", media["url"]!.GetValue<string>());
        Assert.Equal("/api/v1/projects/1/items/2/media?variant=peaks", media["peaksUrl"]!.GetValue<string>());
        Assert.Equal(["speech/1", "tone/2"], Arg(attach.Arguments[2])["labels"]!.AsArray().Select(l => $"{l!["value"]}/{l["hotkey"]}"));
        Assert.Equal([0.5, 2.0], ArgArray(attach.Arguments[4]).Select(r => r!["start"]!.GetValue<double>()));

        await cut.InvokeAsync(() => cut.Instance.OnRegionsChanged("""[{"start": 0.5, "end": 1.75, "label": "speech", "text": "hello"}]"""));
        await cut.InvokeAsync(() => cut.Instance.OnRegionsChanged("[]"));

        Assert.Equal(2, raised.Count);
        Assert.Equal(1.75, raised[0]![0]!["end"]!.GetValue<double>());
        Assert.Null(raised[1]);
        Assert.Empty(cut.FindAll("[data-testid=region-row]"));
    }

    [Fact]
    public void Mp3_has_no_peaks_address_and_a_form_without_media_falls_back_to_json()
    {
        Assert.Null(ItemMedia.For(1, 2, "image/png", 10, 10, null)!.PeaksUrl);
        Assert.Equal("/api/v1/projects/1/items/2/media?variant=peaks", ItemMedia.For(1, 2, "audio/mpeg", null, null, 3)!.PeaksUrl);

        var cut = Render<AnnotationForm>(ps => ps.Add(p => p.Schema, Schema(AudioSchema)).Add(p => p.Value, []));

        Assert.NotNull(cut.Find("[data-testid=json-regions]"));
        Assert.Empty(cut.FindAll("[data-testid=audio-waveform]"));
    }

    [Fact]
    public void The_review_comparison_draws_every_annotators_shapes_of_every_image_field_in_their_colour()
    {
        var module = JSInterop.SetupModule("./js/image-editor.js");
        module.Mode = JSRuntimeMode.Loose;
        var schema = Schema(ImageSchema);
        var ann = ImageCompareColumn.From("ann", schema, JsonNode.Parse("""
            {"objects": [{"x": 1, "y": 1, "width": 5, "height": 5, "label": "car"}, {"x": 9, "y": 9, "width": 5, "height": 5, "label": "tree"}],
             "landmarks": [{"x": 3, "y": 4, "label": "sun"}], "setting": "street"}
            """)!.AsObject());
        var bob = ImageCompareColumn.From("bob", schema, JsonNode.Parse("""{"areas": [{"points": [[0, 0], [5, 0], [0, 5]], "label": "cloud"}]}""")!.AsObject());

        var cut = Render<ImageCompare>(ps => ps.Add(p => p.Media, Image).Add(p => p.Annotations, [ann, bob]));

        Assert.Equal(["ann · 2 boxes, 1 keypoint", "bob · 1 polygon"], cut.FindAll("[data-testid=compare-annotator]").Select(c => Normalize(c.TextContent)));
        var attach = module.Invocations["attach"].Single();
        Assert.True(Arg(attach.Arguments[2])["readOnly"]!.GetValue<bool>());
        var layers = ArgArray(attach.Arguments[3]);
        Assert.Equal([$"ann:{AnnotatorColors.For(0)}:3:false", $"bob:{AnnotatorColors.For(1)}:1:false"],
            layers.Select(l => $"{l!["name"]}:{l["color"]}:{l["shapes"]!.AsArray().Count}:{l["editable"]}"));
    }

    [Fact]
    public void The_review_comparison_puts_every_annotators_regions_on_one_waveform()
    {
        var module = JSInterop.SetupModule("./js/audio-editor.js");
        module.Mode = JSRuntimeMode.Loose;
        var columns = new List<SpanCompare.Column>
        {
            new("ann", JsonNode.Parse("""[{"start": 0, "end": 1, "label": "speech", "text": "hi"}]""")),
            new("bob", JsonNode.Parse("""[{"start": 0.2, "end": 1.1, "label": "speech"}, {"start": 2, "end": 3, "label": "tone"}]""")),
        };

        var cut = Render<SegmentCompare>(ps => ps.Add(p => p.Media, Wav).Add(p => p.Duration, 5.5).Add(p => p.Annotations, columns));

        Assert.Single(cut.FindAll("[data-testid=audio-waveform]"));
        var attach = module.Invocations["attach"].Single();
        var lanes = Arg(attach.Arguments[2])["lanes"]!.AsObject();
        Assert.Equal(AnnotatorColors.For(1), lanes["bob"]!.GetValue<string>());
        Assert.Equal(["ann:speech", "bob:speech", "bob:tone"], ArgArray(attach.Arguments[4]).Select(r => $"{r!["annotator"]}:{r["label"]}"));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
