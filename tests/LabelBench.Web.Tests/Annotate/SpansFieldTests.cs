using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Core.Schemas;
using LabelBench.Web.Components.Annotate;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LabelBench.Web.Tests.Annotate;

/// <summary>The spans editor's .NET side: stored offsets are code points, the browser's are UTF-16 units.</summary>
public sealed class SpansFieldTests : BunitContext
{
    // "👩‍🔬" is 3 code points (U+1F469 U+200D U+1F52C) and 5 UTF-16 units; "Zoé" is written with a combining accent
    // (e + U+0301), so it is 4 code points and 4 units. Code points: 👩‍🔬 0-3, space 3, Zoé 4-8, " met " 8-13, Ana 13-16.
    private const string Text = "👩‍🔬 Zoe\u0301 met Ana in Kraków";

    private static readonly SchemaField Field = new()
    {
        Name = "entities",
        Kind = FieldKind.Spans,
        Source = "text",
        Options = [new LabelOption("PER", "#1e88e5", "p"), new LabelOption("LOC", null, "l")],
    };

    private JsonNode? value;

    public SpansFieldTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private IRenderedComponent<SpansField> RenderField(string? json = null, string text = Text)
    {
        value = json is null ? null : JsonNode.Parse(json);
        return Render<SpansField>(ps => ps
            .Add(p => p.Field, Field)
            .Add(p => p.Text, text)
            .Add(p => p.Value, value)
            .Add(p => p.ValueChanged, (JsonNode? v) => value = v));
    }

    private void Rerender(IRenderedComponent<SpansField> cut) => cut.Render(ps => ps.Add(p => p.Value, value));

    [Fact]
    public void Stored_code_point_spans_render_at_utf16_offsets()
    {
        var cut = RenderField("""[{"start": 4, "end": 8, "label": "PER"}, {"start": 13, "end": 16, "label": "LOC"}]""");

        var segments = cut.FindAll("[data-testid=text-content] [data-s]");
        Assert.Equal(["0", "6", "10", "15", "18"], segments.Select(s => s.GetAttribute("data-s")));
        Assert.Equal("Zoe\u0301", segments[1].TextContent);
        Assert.Equal("PER", segments[1].GetAttribute("data-tags"));
        Assert.Equal("Ana", segments[3].TextContent);
        // Nothing but the text itself inside the element spans are selected in: offsets in the browser stay exact.
        Assert.Equal(Text, cut.Find("[data-testid=text-content]").TextContent);
    }

    [Fact]
    public async Task A_selection_labelled_in_the_browser_is_stored_in_code_points()
    {
        var cut = RenderField();

        await cut.InvokeAsync(() => cut.Instance.OnSpanLabelled(15, 18, "PER"));
        Rerender(cut);
        await cut.InvokeAsync(() => cut.Instance.OnSpanLabelled(0, 5, "LOC"));

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"start": 0, "end": 3, "label": "LOC"}, {"start": 13, "end": 16, "label": "PER"}]"""), value), value?.ToJsonString());
    }

    [Fact]
    public async Task A_selection_then_a_label_button_adds_the_span()
    {
        var cut = RenderField();

        await cut.InvokeAsync(() => cut.Instance.OnSelectionChanged(6, 10, click: false));
        cut.Find("[data-testid=label-option-LOC]").Click();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"start": 4, "end": 8, "label": "LOC"}]"""), value), value?.ToJsonString());
    }

    [Fact]
    public async Task Clicking_a_span_picks_it_then_a_label_changes_it_and_delete_removes_it()
    {
        var cut = RenderField("""[{"start": 13, "end": 16, "label": "PER"}]""");

        // A click in the middle of "Ana": UTF-16 offset 16 is code point 14.
        await cut.InvokeAsync(() => cut.Instance.OnSelectionChanged(16, 16, click: true));
        Assert.Contains("Ana", cut.Find("[data-testid=span-status]").TextContent, StringComparison.Ordinal);
        Assert.Contains("lb-seg-active", cut.Find("[data-s='15']").GetAttribute("class"), StringComparison.Ordinal);

        Assert.True(await cut.InvokeAsync(() => cut.Instance.LabelAsync("LOC")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"start": 13, "end": 16, "label": "LOC"}]"""), value), value?.ToJsonString());
        Rerender(cut);

        Assert.True(await cut.InvokeAsync(() => cut.Instance.DeleteActiveAsync()));
        Assert.Null(value);
    }

    [Fact]
    public async Task Clicking_the_same_place_again_walks_through_overlapping_spans()
    {
        var cut = RenderField("""[{"start": 4, "end": 16, "label": "PER"}, {"start": 13, "end": 16, "label": "LOC"}]""");

        await cut.InvokeAsync(() => cut.Instance.OnSelectionChanged(16, 16, click: true));
        Assert.Contains("LOC", cut.Find("[data-testid=span-status] b").TextContent, StringComparison.Ordinal);
        await cut.InvokeAsync(() => cut.Instance.OnSelectionChanged(16, 16, click: true));
        Assert.Contains("PER", cut.Find("[data-testid=span-status] b").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_key_without_a_selection_or_picked_span_does_nothing()
    {
        var cut = RenderField();

        Assert.False(cut.Instance.HasTarget);
        Assert.False(await cut.InvokeAsync(() => cut.Instance.LabelAsync("PER")));
        Assert.Null(value);
    }

    [Fact]
    public async Task The_same_range_labelled_again_is_relabelled_not_duplicated()
    {
        var cut = RenderField("""[{"start": 13, "end": 16, "label": "PER"}]""");

        await cut.InvokeAsync(() => cut.Instance.OnSpanLabelled(15, 18, "LOC"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"start": 13, "end": 16, "label": "LOC"}]"""), value), value?.ToJsonString());
    }

    [Fact]
    public void A_long_text_renders_one_element_per_run_between_span_boundaries()
    {
        var text = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet, 😀 consectetur adipiscing elit. ", 800));
        var spans = new JsonArray(Enumerable.Range(0, 100).Select(i => (JsonNode?)new JsonObject { ["start"] = i * 400, ["end"] = (i * 400) + 11, ["label"] = "PER" }).ToArray());

        var cut = RenderField(spans.ToJsonString(), text);

        Assert.True(text.Length > 45_000);
        // 100 spans, the first at the start: 200 boundaries plus the end make 200 runs.
        Assert.Equal(200, cut.FindAll("[data-s]").Count);
        Assert.Equal(text, cut.Find("[data-testid=text-content]").TextContent);
    }

    [Fact]
    public void Overlapping_spans_are_drawn_in_separate_lanes()
    {
        var offsets = LabelBench.Core.Text.CodePoints.Utf16Offsets("abcdefghijkl");
        var views = SpanSegments.Views([new SpanValue(0, 10, "PER"), new SpanValue(4, 8, "LOC"), new SpanValue(10, 12, "LOC")], offsets);

        Assert.Equal([0, 1, 0], views.OrderBy(v => v.Span.Start).Select(v => v.Lane));
        var segments = SpanSegments.Build(12, views);
        Assert.Equal([1, 2, 1, 1], segments.Select(s => s.Covering.Count));
        Assert.Equal([0, 4, 8, 10], segments.Select(s => s.Utf16Start));
    }
}
