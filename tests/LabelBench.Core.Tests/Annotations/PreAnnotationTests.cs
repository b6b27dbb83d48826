using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;
using LabelBench.Core.Tests.Schemas;

namespace LabelBench.Core.Tests.Annotations;

public class PreAnnotationTests
{
    private static readonly LabelSchema Schema = SchemaSamples.AllKinds();

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void The_form_starts_from_the_predictions_schema_fields_only()
    {
        var start = PreAnnotation.StartingResult(Schema, Json("""{"sentiment": "pos", "confidence": 0.9, "entities": []}"""));
        Assert.True(JsonNode.DeepEquals(Json("""{"sentiment": "pos"}"""), start), start.ToJsonString());
    }

    [Fact]
    public void Spans_accepted_in_another_order_count_as_unchanged()
    {
        var prediction = Json("""{"entities": [{"start": 0, "end": 5, "label": "PER"}, {"start": 9, "end": 12, "label": "ORG"}]}""");
        var result = Json("""{"entities": [{"start": 9, "end": 12, "label": "ORG"}, {"start": 0, "end": 5, "label": "PER"}]}""");
        Assert.True(PreAnnotation.AcceptedUnchanged(Schema, prediction, result));
    }

    [Fact]
    public void A_relabelled_span_is_a_change()
    {
        var prediction = Json("""{"entities": [{"start": 0, "end": 5, "label": "PER"}]}""");
        Assert.False(PreAnnotation.AcceptedUnchanged(Schema, prediction, Json("""{"entities": [{"start": 0, "end": 5, "label": "ORG"}]}""")));
    }

    [Fact]
    public void An_added_field_is_a_change_and_extra_prediction_keys_are_not()
    {
        var prediction = Json("""{"preference": {"choice": "A", "strength": 2}, "model_note": "x"}""");
        Assert.True(PreAnnotation.AcceptedUnchanged(Schema, prediction, Json("""{"preference": {"choice": "A", "strength": 2}, "summary": ""}""")));
        Assert.False(PreAnnotation.AcceptedUnchanged(Schema, prediction, Json("""{"preference": {"choice": "A", "strength": 2}, "summary": "why"}""")));
        Assert.False(PreAnnotation.AcceptedUnchanged(Schema, prediction, Json("""{"preference": {"choice": "B", "strength": 2}}""")));
    }
}
