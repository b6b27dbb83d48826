using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;
using LabelBench.Web.Components.Annotate;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LabelBench.Web.Tests.Annotate;

/// <summary>Pairwise: the sides are shuffled on screen, the stored choice never is ("A" is the schema's first response).</summary>
public sealed class PairwiseFieldTests : BunitContext
{
    private static readonly SchemaField Field = new() { Name = "preference", Kind = FieldKind.Pairwise, Source = "prompt", Responses = ["response_a", "response_b"] };

    private static readonly JsonObject Data = new() { ["prompt"] = "Capital of Australia?", ["response_a"] = "Canberra.", ["response_b"] = "Sydney." };

    private JsonNode? value;

    public PairwiseFieldTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private IRenderedComponent<PairwiseField> RenderField(bool swapped, string? json = null)
    {
        value = json is null ? null : JsonNode.Parse(json);
        return Render<PairwiseField>(ps => ps
            .Add(p => p.Field, Field)
            .Add(p => p.Data, Data)
            .Add(p => p.Swapped, swapped)
            .Add(p => p.Value, value)
            .Add(p => p.ValueChanged, (JsonNode? v) => value = v));
    }

    [Fact]
    public void Swapped_sides_show_the_second_response_on_the_left_and_a_click_on_A_stores_A()
    {
        var cut = RenderField(swapped: true);

        Assert.Contains("Sydney.", cut.Find("[data-testid=pairwise-response-left]").TextContent, StringComparison.Ordinal);
        Assert.Equal("B", cut.Find("[data-testid=pairwise-response-left]").GetAttribute("data-response"));
        var a = cut.Find("[data-testid=pairwise-choice-A]");
        Assert.Contains("Right is better", a.TextContent, StringComparison.Ordinal);

        a.Click();

        Assert.Equal("A", value!["choice"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false, "left", "A")]
    [InlineData(false, "right", "B")]
    [InlineData(true, "left", "B")]
    [InlineData(true, "right", "A")]
    [InlineData(true, "tie", "tie")]
    public async Task A_choice_by_screen_side_is_stored_unshuffled(bool swapped, string side, string stored)
    {
        var cut = RenderField(swapped);

        await cut.InvokeAsync(() => cut.Instance.ChooseSideAsync(side));

        Assert.Equal(stored, value!["choice"]!.GetValue<string>());
    }

    [Fact]
    public async Task Strength_goes_with_a_side_and_is_dropped_for_a_tie()
    {
        var cut = RenderField(swapped: false, """{"choice": "A"}""");

        await cut.InvokeAsync(() => cut.Instance.SetStrengthAsync(3));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"choice": "A", "strength": 3}"""), value));
        cut.Render(ps => ps.Add(p => p.Value, value));

        await cut.InvokeAsync(() => cut.Instance.ChooseSideAsync("right"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"choice": "B", "strength": 3}"""), value));
        cut.Render(ps => ps.Add(p => p.Value, value));

        await cut.InvokeAsync(() => cut.Instance.ChooseSideAsync("tie"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"choice": "tie"}"""), value));
        cut.Render(ps => ps.Add(p => p.Value, value));
        Assert.True(cut.Find("[data-testid=pairwise-strength-2]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Keys_1_2_3_in_the_form_follow_the_annotators_layout()
    {
        var schema = new LabelSchema([Field]);
        var result = new JsonObject();
        // Find an annotator who sees the responses swapped for this item, so the test proves the un-shuffling.
        var presentation = Enumerable.Range(0, 50).Select(i => new ItemPresentation($"user-{i}", 7)).First(p => p.PairwiseSwapped);
        var cut = Render<AnnotationForm>(ps => ps
            .Add(p => p.Schema, schema)
            .Add(p => p.Value, result)
            .Add(p => p.Data, Data)
            .Add(p => p.Presentation, presentation)
            .Add(p => p.ValueChanged, (JsonObject v) => result = v));

        Assert.True(await cut.InvokeAsync(() => cut.Instance.HandleKeyAsync("1")));
        Assert.Equal(PresentationOrder.StoredChoice("left", swapped: true), result["preference"]!["choice"]!.GetValue<string>());
        Assert.Equal("B", result["preference"]!["choice"]!.GetValue<string>());
        cut.Render(ps => ps.Add(p => p.Value, result));

        Assert.True(await cut.InvokeAsync(() => cut.Instance.HandleKeyAsync("shift+2")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"choice": "B", "strength": 2}"""), result["preference"]), result.ToJsonString());
    }
}
