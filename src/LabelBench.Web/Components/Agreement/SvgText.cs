using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace LabelBench.Web.Components.Agreement;

/// <summary>An SVG <c>&lt;text&gt;</c> element (Razor reserves the tag name inside code blocks).</summary>
public sealed class SvgText : ComponentBase
{
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
