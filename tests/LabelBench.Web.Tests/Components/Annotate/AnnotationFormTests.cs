using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Web.Components.Annotate;

namespace LabelBench.Web.Tests.Components.Annotate;

/// <summary>The form the schema generates: one editor per field, raising a new result object on each change.</summary>
public sealed class AnnotationFormTests : MudComponentTest
{
    private const string MixedSchema = """
        {"fields": [
          {"name": "sentiment", "kind": "choices", "source": "text", "required": true,
           "options": [{"value": "positive", "hotkey": "1"}, {"value": "negative", "hotkey": "2"}]},
          {"name": "stars", "kind": "rating", "source": "text", "max": 5},
          {"name": "comment", "kind": "text", "source": "text", "description": "Anything the choices miss"},
          {"name": "entities", "kind": "spans", "source": "text", "labels": ["PER", "ORG"]}
        ]}
        """;

    private (IRenderedComponent<AnnotationForm> Cut, List<JsonObject> Raised) RenderForm(JsonObject value, IReadOnlySet<string>? predicted = null)
    {
        var raised = new List<JsonObject>();
        var cut = Render<AnnotationForm>(ps =>
        {
            ps.Add(p => p.Schema, Schema(MixedSchema))
              .Add(p => p.Value, value)
              .Add(p => p.ValueChanged, (JsonObject v) => raised.Add(v));
            if (predicted is not null)
            {
                ps.Add(p => p.PredictedFields, predicted);
            }
        });
        return (cut, raised);
    }

    [Fact]
    public void Renders_an_editor_per_field_and_marks_the_required_ones()
    {
        var (cut, _) = RenderForm([]);

        Assert.Equal(["field-sentiment", "field-stars", "field-comment", "field-entities"],
            cut.FindAll("[data-testid^=field-]").Select(e => e.GetAttribute("data-testid")));
        Assert.Contains("sentiment *", Normalize(cut.Find("[data-testid=field-sentiment] .mud-typography-subtitle2").TextContent), StringComparison.Ordinal);
        Assert.DoesNotContain("*", cut.Find("[data-testid=field-stars] .mud-typography-subtitle2").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=field-sentiment] [data-testid=label-option-positive]"));
        Assert.NotNull(cut.Find("[data-testid=field-stars] [data-testid=rating-stars]"));
        Assert.NotNull(cut.Find("[data-testid=field-comment] textarea"));
        Assert.Contains("Anything the choices miss", cut.Find("[data-testid=field-comment]").TextContent, StringComparison.Ordinal);
        // Kinds without a dedicated editor fall back to their JSON value.
        Assert.NotNull(cut.Find("[data-testid=field-entities] [data-testid=json-entities]"));
    }

    [Fact]
    public void Choosing_a_label_raises_a_new_result_with_the_field_set()
    {
        var value = new JsonObject { ["stars"] = 2 };
        var (cut, raised) = RenderForm(value);

        cut.Find("[data-testid=label-option-negative]").Click();

        var result = Assert.Single(raised);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"stars": 2, "sentiment": "negative"}"""), result), result.ToJsonString());
        // The form never edits the object it was given.
        Assert.Equal("""{"stars":2}""", value.ToJsonString());
    }

    [Fact]
    public void Clearing_a_choice_removes_the_field_from_the_result()
    {
        var (cut, raised) = RenderForm(new JsonObject { ["sentiment"] = "positive", ["comment"] = "ok" });

        cut.Find("[data-testid=label-option-positive]").Click();

        Assert.Equal("""{"comment":"ok"}""", Assert.Single(raised).ToJsonString());
    }

    [Fact]
    public void Rating_and_text_set_their_fields()
    {
        var (cut, raised) = RenderForm([]);

        cut.FindAll("[data-testid=rating-stars] .mud-rating-item")[4].Click();
        cut.Find("[data-testid=field-comment] textarea").Input("too slow");

        Assert.Equal("""{"stars":5}""", raised[0].ToJsonString());
        cut.WaitForAssertion(() => Assert.Equal("""{"comment":"too slow"}""", raised[^1].ToJsonString()), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Json_field_sets_its_parsed_value()
    {
        var (cut, raised) = RenderForm([]);

        cut.Find("[data-testid=field-entities] textarea").Change("""[{"start": 0, "end": 3, "label": "ORG"}]""");

        Assert.Equal("""{"entities":[{"start":0,"end":3,"label":"ORG"}]}""", Assert.Single(raised).ToJsonString());
    }

    [Fact]
    public void Fields_the_model_filled_in_are_marked()
    {
        var (cut, _) = RenderForm(new JsonObject { ["sentiment"] = "positive" }, new HashSet<string> { "sentiment" });

        Assert.Contains("pre-annotated by model", cut.Find("[data-testid=field-sentiment]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("pre-annotated by model", cut.Find("[data-testid=field-stars]").TextContent, StringComparison.Ordinal);
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
