using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Web.Components.Annotate;

namespace LabelBench.Web.Tests.Components.Annotate;

/// <summary>The rating, free-text and JSON editors: what a person types or clicks becomes the field's value.</summary>
public sealed class ScalarFieldTests : MudComponentTest
{
    private const string Rating = """{"name": "stars", "kind": "rating", "source": "text", "max": 5}""";
    private const string Text = """{"name": "comment", "kind": "text", "source": "text"}""";
    private const string Spans = """{"name": "entities", "kind": "spans", "source": "text", "labels": [{"value": "PER"}]}""";

    private static Microsoft.AspNetCore.Components.EventCallback<JsonNode?> Capture(List<JsonNode?> raised) =>
        Microsoft.AspNetCore.Components.EventCallback.Factory.Create<JsonNode?>(raised, raised.Add);

    private IRenderedComponent<RatingField> RenderRating(JsonNode? value, List<JsonNode?> raised) =>
        Render<RatingField>(ps => ps.Add(p => p.Field, Field(Rating)).Add(p => p.Value, value).Add(p => p.ValueChanged, Capture(raised)));

    private IRenderedComponent<FreeTextField> RenderText(JsonNode? value, List<JsonNode?> raised) =>
        Render<FreeTextField>(ps => ps.Add(p => p.Field, Field(Text)).Add(p => p.Value, value).Add(p => p.ValueChanged, Capture(raised)));

    private IRenderedComponent<JsonValueField> RenderJson(JsonNode? value, List<JsonNode?> raised) =>
        Render<JsonValueField>(ps => ps.Add(p => p.Field, Field(Spans)).Add(p => p.Value, value).Add(p => p.ValueChanged, Capture(raised)));

    [Fact]
    public void Rating_click_raises_the_rating()
    {
        var raised = new List<JsonNode?>();
        var cut = RenderRating(null, raised);

        Assert.Contains("not rated", cut.Markup, StringComparison.Ordinal);
        var items = cut.FindAll(".mud-rating-item");
        Assert.Equal(5, items.Count);
        items[3].Click();

        Assert.Equal(4, Assert.Single(raised)!.GetValue<int>());
    }

    [Fact]
    public void Rating_shows_the_current_rating()
    {
        var cut = RenderRating(JsonValue.Create(3), []);

        Assert.Contains("3 of 5", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Free_text_raises_what_was_typed()
    {
        var raised = new List<JsonNode?>();
        var cut = RenderText(null, raised);

        await cut.Find("textarea").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Arrived broken" });

        cut.WaitForAssertion(() => Assert.Equal("Arrived broken", Assert.Single(raised)!.GetValue<string>()), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Free_text_cleared_raises_no_value()
    {
        var raised = new List<JsonNode?>();
        var cut = RenderText(JsonValue.Create("old"), raised);

        Assert.Equal("old", cut.Find("textarea").GetAttribute("value") ?? cut.Find("textarea").TextContent);
        await cut.Find("textarea").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = string.Empty });

        cut.WaitForAssertion(() => Assert.Null(Assert.Single(raised)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Json_field_shows_an_error_for_invalid_json_and_raises_nothing()
    {
        var raised = new List<JsonNode?>();
        var cut = RenderJson(null, raised);

        cut.Find("textarea").Change("[{\"start\": 0,");

        Assert.Empty(raised);
        Assert.Contains("not valid JSON", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_field_raises_the_parsed_value_for_valid_json()
    {
        var raised = new List<JsonNode?>();
        var cut = RenderJson(null, raised);
        cut.Find("textarea").Change("{oops");

        cut.Find("textarea").Change("""[{"start": 0, "end": 5, "label": "PER"}]""");

        var value = Assert.Single(raised)!.AsArray();
        Assert.Equal(5, value[0]!["end"]!.GetValue<int>());
        Assert.Equal("PER", value[0]!["label"]!.GetValue<string>());
        Assert.DoesNotContain("not valid JSON", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_field_shows_the_current_value_and_raises_nothing_when_emptied()
    {
        var raised = new List<JsonNode?>();
        var cut = RenderJson(JsonNode.Parse("""[{"start":1,"end":2,"label":"PER"}]"""), raised);
        Assert.Contains("&quot;start&quot;:1", cut.Markup, StringComparison.Ordinal);

        cut.Find("textarea").Change("  ");

        Assert.Null(Assert.Single(raised));
    }
}
