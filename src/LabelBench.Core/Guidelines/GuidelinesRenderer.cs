using AngleSharp.Dom;
using Ganss.Xss;
using Markdig;

namespace LabelBench.Core.Guidelines;

/// <summary>
/// Turns a project's Markdown guidelines into HTML that is safe to put in the page: raw HTML in the Markdown is
/// shown as text, and the rendered HTML is sanitised, so no script, event handler or <c>javascript:</c> URL survives.
/// </summary>
public static class GuidelinesRenderer
{
    /// <summary>The longest guidelines a project keeps (characters of Markdown).</summary>
    public const int MaxLength = 100_000;

    // The advanced extensions minus generic attributes ({onclick=...} on any block) and media links (iframes).
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAlertBlocks()
        .UseAbbreviations()
        .UseAutoIdentifiers()
        .UseCitations()
        .UseCustomContainers()
        .UseDefinitionLists()
        .UseEmphasisExtras()
        .UseFigures()
        .UseFooters()
        .UseFootnotes()
        .UseGridTables()
        .UseMathematics()
        .UsePipeTables()
        .UseListExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    // Configured once, then only Sanitize is called: HtmlSanitizer documents that as thread-safe.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string Render(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        var html = Markdown.ToHtml(markdown, Pipeline);
        return Sanitizer.Sanitize(html);
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" })
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }

        // Guidelines are text, tables and pictures: nothing that takes input or restyles the page around it.
        foreach (var tag in new[] { "form", "button", "textarea", "select", "option", "optgroup", "fieldset", "legend", "label", "style", "iframe", "object", "embed" })
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Remove("srcset");
        sanitizer.AllowDataAttributes = false;
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is not IElement element)
            {
                return;
            }

            if (element.LocalName == "a" && element.GetAttribute("href") is { } href
                && (href.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
            {
                // External links open apart from the workspace and cannot reach back into it.
                element.SetAttribute("target", "_blank");
                element.SetAttribute("rel", "noopener noreferrer nofollow");
            }
            else if (element.LocalName == "input")
            {
                // Task-list checkboxes are a picture of the list, not a control.
                element.SetAttribute("disabled", "disabled");
            }
        };
        return sanitizer;
    }
}
