using System.Text.Json.Nodes;
using LabelBench.Core.ActiveLearning;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Tests.ActiveLearning;

public class ModelAgreementBuilderTests
{
    private static readonly LabelSchema Schema = new(
    [
        new SchemaField { Name = "sentiment", Kind = FieldKind.Choices, Source = "text", Options = [new("positive"), new("negative")] },
        new SchemaField { Name = "topics", Kind = FieldKind.Choices, Source = "text", Multiple = true, Options = [new("price"), new("quality")] },
        new SchemaField { Name = "note", Kind = FieldKind.Text, Source = "text" },
    ]);

    [Fact]
    public void Agreement_per_version_compares_only_the_fields_the_prediction_gives()
    {
        var builder = new ModelAgreementBuilder(Schema);
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        builder.AddPredictions("v2", 3, t0.AddDays(1));
        builder.AddPredictions("v1", 4, t0);
        var final = Obj("""{"sentiment": "positive", "topics": ["quality", "price"], "note": "fine"}""");
        builder.Compare("v1", Obj("""{"sentiment": "positive"}"""), final);
        builder.Compare("v1", Obj("""{"sentiment": "negative"}"""), final);
        builder.Compare("v1", Obj("""{"topics": ["price", "quality"]}"""), final);
        builder.Compare("v1", Obj("""{"unrelated": 1}"""), final);
        builder.Compare("v2", Obj("""{"sentiment": "positive", "topics": ["price"]}"""), final);
        builder.AddPreAnnotations("v1", 4, 3);

        var versions = builder.Build();

        Assert.Equal(["v1", "v2"], versions.Select(v => v.Model));
        var v1 = versions[0];
        Assert.Equal((4L, 3L, 2L), (v1.Predictions, v1.Compared, v1.Agreeing));
        Assert.Equal(2.0 / 3, v1.Agreement!.Value, 12);
        Assert.Equal(0.75, v1.AcceptedUnchangedShare!.Value, 12);
        var v2 = versions[1];
        Assert.Equal((1L, 0L), (v2.Compared, v2.Agreeing));
        Assert.Equal(0.0, v2.Agreement);
        Assert.Null(v2.AcceptedUnchangedShare);
    }

    [Fact]
    public void Empty_values_agree_with_missing_ones()
    {
        Assert.True(ResultComparison.Agrees(Schema, Obj("""{"topics": [], "note": ""}"""), Obj("""{"sentiment": "positive"}""")));
        Assert.False(ResultComparison.Agrees(Schema, Obj("""{"note": "x"}"""), Obj("""{"sentiment": "positive"}""")));
        Assert.Null(ResultComparison.Agrees(Schema, Obj("""{}"""), Obj("""{"sentiment": "positive"}""")));
    }

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
