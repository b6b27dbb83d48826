using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Web.Components.Annotate;

namespace LabelBench.Web.Tests.Components.Annotate;

public sealed class ChoicesFieldTests : MudComponentTest
{
    private static readonly string Single = """
        {"name": "sentiment", "kind": "choices", "source": "text",
         "options": [{"value": "positive", "hotkey": "1", "color": "#00aa00"}, {"value": "negative", "hotkey": "2"}, {"value": "neutral"}]}
        """;

    private static readonly string Multiple = """
        {"name": "topics", "kind": "choices", "source": "text", "multiple": true,
         "options": [{"value": "price"}, {"value": "quality"}, {"value": "delivery"}]}
        """;

    private (IRenderedComponent<ChoicesField> Cut, List<JsonNode?> Raised) Render(string field, JsonNode? value)
    {
        var raised = new List<JsonNode?>();
        var cut = Render<ChoicesField>(ps => ps
            .Add(p => p.Field, Field(field))
            .Add(p => p.Value, value)
            .Add(p => p.ValueChanged, (JsonNode? v) => raised.Add(v)));
        return (cut, raised);
    }

    [Fact]
    public void Renders_a_button_per_option_with_its_hotkey()
    {
        var (cut, _) = Render(Single, null);

        var buttons = cut.FindAll("[data-testid^=label-option-]");
        Assert.Equal(["label-option-positive", "label-option-negative", "label-option-neutral"], buttons.Select(b => b.GetAttribute("data-testid")));
        Assert.All(buttons, b => Assert.Equal("BUTTON", b.TagName));
        Assert.Equal("1", cut.Find("[data-testid=label-option-positive] .lb-hotkey").TextContent.Trim());
        Assert.Equal("2", cut.Find("[data-testid=label-option-negative] .lb-hotkey").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=label-option-neutral] .lb-hotkey"));
        Assert.Contains("positive", cut.Find("[data-testid=label-option-positive]").TextContent, StringComparison.Ordinal);
        Assert.Contains("#00aa00", cut.Find("[data-testid=label-option-positive]").GetAttribute("style"), StringComparison.Ordinal);
        Assert.All(buttons, b => Assert.Equal("false", b.GetAttribute("aria-pressed")));
    }

    [Fact]
    public void Clicking_an_option_raises_its_value()
    {
        var (cut, raised) = Render(Single, null);

        cut.Find("[data-testid=label-option-negative]").Click();

        var value = Assert.Single(raised);
        Assert.Equal("negative", value!.GetValue<string>());
    }

    [Fact]
    public void The_selected_option_is_marked()
    {
        var (cut, _) = Render(Single, JsonValue.Create("negative"));

        Assert.Equal("true", cut.Find("[data-testid=label-option-negative]").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("[data-testid=label-option-positive]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Single_choice_clicking_another_option_replaces_the_choice()
    {
        var (cut, raised) = Render(Single, JsonValue.Create("positive"));

        cut.Find("[data-testid=label-option-neutral]").Click();

        Assert.Equal("neutral", Assert.Single(raised)!.GetValue<string>());
    }

    [Fact]
    public void Single_choice_clicking_the_selected_option_clears_it()
    {
        var (cut, raised) = Render(Single, JsonValue.Create("positive"));

        cut.Find("[data-testid=label-option-positive]").Click();

        Assert.Null(Assert.Single(raised));
    }

    [Fact]
    public void Multiple_choice_adds_options_in_schema_order()
    {
        var (cut, raised) = Render(Multiple, new JsonArray("delivery"));

        cut.Find("[data-testid=label-option-price]").Click();

        Assert.Equal("""["price","delivery"]""", Assert.Single(raised)!.ToJsonString());
    }

    [Fact]
    public void Multiple_choice_clicking_a_selected_option_removes_it()
    {
        var (cut, raised) = Render(Multiple, new JsonArray("price", "quality"));

        cut.Find("[data-testid=label-option-price]").Click();

        Assert.Equal("""["quality"]""", Assert.Single(raised)!.ToJsonString());
        Assert.Equal("true", cut.Find("[data-testid=label-option-quality]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Multiple_choice_removing_the_last_option_clears_the_value()
    {
        var (cut, raised) = Render(Multiple, new JsonArray("quality"));

        cut.Find("[data-testid=label-option-quality]").Click();

        Assert.Null(Assert.Single(raised));
    }
}
