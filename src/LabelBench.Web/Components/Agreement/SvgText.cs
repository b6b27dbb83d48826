using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace LabelBench.Web.Components.Agreement;

/// <summary>An SVG <c>&lt;text&gt;</c> element (Razor reserves the tag name inside code blocks).</summary>
public sealed class SvgText : ComponentBase
{
    /// <summary>
    /// A label cut to <paramref name="max"/> characters with an ellipsis, for a label column of fixed width (SVG text
    /// does not wrap or clip itself: a long annotator address ran off the chart's left edge). Charts keep the whole
    /// label in the mark's tooltip.
    /// </summary>
    public static string Fit(string label, int max) => label.Length > max ? label[..(max - 1)] + "…" : label;

    [Parameter]
    public object? X { get; set; }

    [Parameter]
    public object? Y { get; set; }

    [Parameter]
    public string? Anchor { get; set; }

    [Parameter]
    public string? Fill { get; set; }

    [Parameter]
    public string? Transform { get; set; }

    [Parameter]
    public string? Content { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "x", X);
        builder.AddAttribute(2, "y", Y);
        builder.AddAttribute(3, "text-anchor", Anchor);
        builder.AddAttribute(4, "fill", Fill);
        builder.AddAttribute(5, "transform", Transform);
        builder.AddContent(6, Content);
        builder.CloseElement();
    }
}
