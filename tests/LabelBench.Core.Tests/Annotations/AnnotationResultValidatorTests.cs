using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;
using LabelBench.Core.Tests.Schemas;
using LabelBench.Core.Text;

namespace LabelBench.Core.Tests.Annotations;

public class AnnotationResultValidatorTests
{
    // 9 code points, 11 UTF-16 units: the waving hand and its skin tone are astral characters.
    private const string EmojiText = "Hi 👋🏽 Ada";

    private static readonly LabelSchema Schema = SchemaSamples.AllKinds();

    private static readonly ItemContext Item = new(
        new JsonObject { ["text"] = EmojiText, ["image"] = "img.png", ["audio"] = "a.wav" },
        ImageWidth: 640,
        ImageHeight: 480,
        AudioDurationSeconds: 10);

    private static IReadOnlyList<ValidationError> Validate(string resultJson, ItemContext? item = null, bool requireComplete = false) =>
        AnnotationResultValidator.Validate(Schema, JsonNode.Parse(resultJson), item ?? Item, requireComplete);

    private static void AssertValid(string resultJson, bool requireComplete = false)
    {
        var problems = Validate(resultJson, requireComplete: requireComplete);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static ValidationError AssertSingleError(string resultJson, string path, string messagePart, ItemContext? item = null)
    {
        var problems = Validate(resultJson, item);
        var error = Assert.Single(problems);
        Assert.Equal(path, error.Path);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Complete_result_with_every_kind_is_valid()
    {
        AssertValid("""
            {
              "sentiment": "pos",
              "topics": ["sport", "tech"],
              "quality": 4,
              "summary": "A greeting.",
              "entities": [{"start": 6, "end": 9, "label": "PER"}],
              "objects": [{"x": 10, "y": 20, "width": 30, "height": 40, "label": "car"}],
              "areas": [{"points": [[0, 0], [640, 0], [640, 480]], "label": "road"}],
              "landmarks": [{"x": 1.5, "y": 2.5, "label": "nose"}],
              "speech": [{"start": 1.25, "end": 3.5, "label": "speech", "text": "hello"}],
              "preference": {"choice": "A", "strength": 2},
              "order": [2, 0, 1]
            }
            """, requireComplete: true);
    }

    [Fact]
    public void Result_that_is_not_an_object_is_refused()
    {
        var error = Assert.Single(AnnotationResultValidator.Validate(Schema, JsonNode.Parse("[1]")));

        Assert.Equal("result", error.Path);
    }

    [Fact]
    public void Missing_required_field_is_refused_when_complete()
    {
        var problems = Validate("""{"summary": "x"}""", requireComplete: true);

        var error = Assert.Single(problems);
        Assert.Equal("sentiment", error.Path);
        Assert.Contains("is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"sentiment": ""}""")]
    [InlineData("""{"sentiment": null}""")]
    public void Empty_required_field_counts_as_missing(string result)
    {
        var error = Assert.Single(Validate(result, requireComplete: true));

        Assert.Equal("sentiment", error.Path);
    }

    [Fact]
    public void Drafts_may_leave_required_fields_empty()
    {
        AssertValid("""{"summary": "x"}""", requireComplete: false);
    }

    [Fact]
    public void Unknown_field_is_refused_by_name()
    {
        AssertSingleError("""{"sentimen": "pos"}""", "sentimen", "no field \"sentimen\"");
    }

    [Theory]
    [InlineData("""{"sentiment": "happy"}""", "\"happy\" is not one of the options")]
    [InlineData("""{"sentiment": ["pos"]}""", "not a list")]
    [InlineData("""{"sentiment": 1}""", "must be one of the options")]
    public void Single_choice_must_be_one_option(string result, string message)
    {
        AssertSingleError(result, "sentiment", message);
    }

    [Theory]
    [InlineData("""{"topics": ["sport", "cooking"]}""", "\"cooking\" is not one of the options")]
    [InlineData("""{"topics": ["sport", "sport"]}""", "same choice twice")]
    [InlineData("""{"topics": ["sport", 3]}""", "must be a string")]
    [InlineData("""{"topics": "sport"}""", "must be a list of choices")]
    public void Multiple_choices_must_be_a_list_of_distinct_options(string result, string message)
    {
        AssertSingleError(result, "topics", message);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("5")]
    [InlineData("3.0")]
    public void Rating_within_range_is_valid(string value)
    {
        AssertValid($$"""{"quality": {{value}}}""");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("2.5")]
    [InlineData("\"3\"")]
    [InlineData("-1")]
    public void Rating_out_of_range_or_not_whole_is_refused(string value)
    {
        AssertSingleError($$"""{"quality": {{value}}}""", "quality", "whole number from 1 to 5");
    }

    [Fact]
    public void Text_must_be_a_string()
    {
        AssertValid("""{"summary": "ok"}""");
        AssertSingleError("""{"summary": 42}""", "summary", "must be a string");
    }

    [Fact]
    public void Span_offsets_count_code_points_not_utf16_units()
    {
        Assert.Equal(9, CodePoints.Length(EmojiText));
        Assert.Equal(11, EmojiText.Length);
        Assert.Equal("Ada", CodePoints.Slice(EmojiText, 6, 9));
        Assert.Equal("👋🏽", CodePoints.Slice(EmojiText, 3, 5));

        AssertValid("""{"entities": [{"start": 6, "end": 9, "label": "PER"}, {"start": 3, "end": 4, "label": "ORG"}]}""");
        var error = AssertSingleError("""{"entities": [{"start": 6, "end": 10, "label": "PER"}]}""", "entities[0]", "past the end of the text");
        Assert.Contains("9 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"start": 5, "end": 5, "label": "PER"}""", "entities[0]", "0 ≤ start < end")]
    [InlineData("""{"start": -1, "end": 2, "label": "PER"}""", "entities[0]", "0 ≤ start < end")]
    [InlineData("""{"start": 1.5, "end": 2, "label": "PER"}""", "entities[0]", "whole-number")]
    [InlineData("""{"start": 1, "label": "PER"}""", "entities[0]", "whole-number")]
    [InlineData("""{"start": 1, "end": 2, "label": "LOC"}""", "entities[0].label", "\"LOC\" is not one of the labels")]
    [InlineData("""{"start": 1, "end": 2}""", "entities[0].label", "is required")]
    public void Bad_spans_are_refused(string span, string path, string message)
    {
        AssertSingleError($$"""{"entities": [{{span}}]}""", path, message);
    }

    [Fact]
    public void Span_list_must_be_a_list_of_objects()
    {
        AssertSingleError("""{"entities": {"start": 1}}""", "entities", "must be a list");
        AssertSingleError("""{"entities": [3]}""", "entities[0]", "must be an object");
    }

    [Fact]
    public void Box_inside_the_image_is_valid_up_to_its_edges()
    {
        AssertValid("""{"objects": [{"x": 0, "y": 0, "width": 640, "height": 480, "label": "person"}]}""");
    }

    [Theory]
    [InlineData("""{"x": 600, "y": 20, "width": 50, "height": 40, "label": "car"}""", "objects[0]", "outside the image (640×480)")]
    [InlineData("""{"x": -1, "y": 20, "width": 5, "height": 5, "label": "car"}""", "objects[0]", "outside the image")]
    [InlineData("""{"x": 1, "y": 20, "width": 0, "height": 5, "label": "car"}""", "objects[0]", "greater than 0")]
    [InlineData("""{"x": 1, "y": 20, "width": 5, "label": "car"}""", "objects[0].height", "must be a number")]
    [InlineData("""{"x": "1", "y": 20, "width": 5, "height": 5, "label": "car"}""", "objects[0].x", "must be a number")]
    [InlineData("""{"x": 1, "y": 1, "width": 5, "height": 5, "label": "bus"}""", "objects[0].label", "not one of the labels")]
    public void Bad_boxes_are_refused(string box, string path, string message)
    {
        AssertSingleError($$"""{"objects": [{{box}}]}""", path, message);
    }

    [Fact]
    public void Box_bounds_are_only_checked_below_zero_when_the_size_is_unknown()
    {
        var unknownSize = Item with { ImageWidth = null, ImageHeight = null };

        Assert.Empty(Validate("""{"objects": [{"x": 6000, "y": 20, "width": 50, "height": 40, "label": "car"}]}""", unknownSize));
        AssertSingleError("""{"objects": [{"x": -5, "y": 20, "width": 50, "height": 40, "label": "car"}]}""", "objects[0]", "outside the image", unknownSize);
    }

    [Theory]
    [InlineData("""{"points": [[0, 0], [1, 1]], "label": "road"}""", "areas[0].points", "at least three")]
    [InlineData("""{"points": [[0, 0], [1, 1], [2]], "label": "road"}""", "areas[0].points[2]", "[x, y]")]
    [InlineData("""{"points": [[0, 0], [1, 1], [700, 2]], "label": "road"}""", "areas[0].points[2]", "outside the image")]
    [InlineData("""{"label": "road"}""", "areas[0].points", "at least three")]
    public void Bad_polygons_are_refused(string polygon, string path, string message)
    {
        AssertSingleError($$"""{"areas": [{{polygon}}]}""", path, message);
    }

    [Theory]
    [InlineData("""{"x": 641, "y": 2, "label": "nose"}""", "landmarks[0]", "outside the image")]
    [InlineData("""{"y": 2, "label": "nose"}""", "landmarks[0].x", "must be a number")]
    [InlineData("""{"x": 1, "y": 2, "label": "ear"}""", "landmarks[0].label", "not one of the labels")]
    public void Bad_keypoints_are_refused(string keypoint, string path, string message)
    {
        AssertSingleError($$"""{"landmarks": [{{keypoint}}]}""", path, message);
    }

    [Fact]
    public void Segment_up_to_the_audio_end_is_valid()
    {
        AssertValid("""{"speech": [{"start": 0, "end": 10, "label": "music"}, {"start": 9.5, "end": 10.0005, "label": "speech"}]}""");
    }

    [Theory]
    [InlineData("""{"start": 9, "end": 10.5, "label": "speech"}""", "speech[0]", "after the audio's end at 10 s")]
    [InlineData("""{"start": 3, "end": 2, "label": "speech"}""", "speech[0]", "0 ≤ start < end")]
    [InlineData("""{"start": -1, "end": 2, "label": "speech"}""", "speech[0]", "0 ≤ start < end")]
    [InlineData("""{"start": 1, "end": 2, "label": "speech", "text": 5}""", "speech[0].text", "must be a string")]
    [InlineData("""{"start": 1, "end": 2, "label": "noise"}""", "speech[0].label", "not one of the labels")]
    public void Bad_segments_are_refused(string segment, string path, string message)
    {
        AssertSingleError($$"""{"speech": [{{segment}}]}""", path, message);
    }

    [Theory]
    [InlineData("""{"choice": "A"}""")]
    [InlineData("""{"choice": "B", "strength": 3}""")]
    [InlineData("""{"choice": "tie", "strength": 1}""")]
    public void Pairwise_choice_with_optional_strength_is_valid(string value)
    {
        AssertValid($$"""{"preference": {{value}}}""");
    }

    [Theory]
    [InlineData("\"A\"", "preference", "must be {\"choice\"")]
    [InlineData("""{"choice": "C"}""", "preference.choice", "\"A\", \"B\" or \"tie\"")]
    [InlineData("""{"strength": 2}""", "preference.choice", "\"A\", \"B\" or \"tie\"")]
    [InlineData("""{"choice": "a"}""", "preference.choice", "\"A\", \"B\" or \"tie\"")]
    [InlineData("""{"choice": "A", "strength": 4}""", "preference.strength", "1, 2 or 3")]
    [InlineData("""{"choice": "A", "strength": 1.5}""", "preference.strength", "1, 2 or 3")]
    [InlineData("""{"choice": "A", "reason": "better"}""", "preference.reason", "unknown property")]
    public void Bad_pairwise_shape_is_refused(string value, string path, string message)
    {
        AssertSingleError($$"""{"preference": {{value}}}""", path, message);
    }

    [Theory]
    [InlineData("[0, 1, 2]")]
    [InlineData("[2, 1, 0]")]
    [InlineData("[1, 2, 0]")]
    public void Ranking_that_is_a_permutation_is_valid(string value)
    {
        AssertValid($$"""{"order": {{value}}}""");
    }

    [Theory]
    [InlineData("[0, 1]", "ranks 2 of the 3")]
    [InlineData("[0, 1, 1]", "each response index 0..2 once")]
    [InlineData("[0, 1, 3]", "each response index 0..2 once")]
    [InlineData("[0, 1, -1]", "each response index 0..2 once")]
    [InlineData("[0, 1, \"2\"]", "each response index 0..2 once")]
    [InlineData("[0, 1, 2, 0]", "each response index 0..2 once")]
    [InlineData("{\"0\": 1}", "list of the response indexes 0..2")]
    public void Ranking_that_is_not_a_permutation_is_refused(string value, string message)
    {
        AssertSingleError($$"""{"order": {{value}}}""", "order", message);
    }

    [Fact]
    public void Numbers_built_in_code_are_read_like_parsed_ones()
    {
        var result = new JsonObject
        {
            ["quality"] = 3L,
            ["objects"] = new JsonArray(new JsonObject { ["x"] = 10, ["y"] = 20L, ["width"] = 30.5, ["height"] = 40m, ["label"] = "car" }),
            ["entities"] = new JsonArray(new JsonObject { ["start"] = 0L, ["end"] = 2, ["label"] = "PER" }),
            ["order"] = new JsonArray(2, 0L, 1),
            ["preference"] = new JsonObject { ["choice"] = "B", ["strength"] = 2L },
        };

        var problems = AnnotationResultValidator.Validate(Schema, result, Item, requireComplete: false);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_problem_is_reported()
    {
        var problems = Validate("""{"sentiment": "x", "quality": 9, "extra": 1}""");

        Assert.Equal(["extra", "sentiment", "quality"], problems.Select(p => p.Path));
    }
}
