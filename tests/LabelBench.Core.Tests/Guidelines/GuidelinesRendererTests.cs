using AngleSharp.Html.Parser;
using LabelBench.Core.Guidelines;

namespace LabelBench.Core.Tests.Guidelines;

public class GuidelinesRendererTests
{
    private static AngleSharp.Html.Dom.IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument($"<body>{html}</body>");

    /// <summary>Nothing in the rendered HTML can run: no script element, no on* attribute, no javascript:/data:/vbscript: URL.</summary>
    private static void AssertInert(string html)
    {
        var doc = Parse(html);
        Assert.Empty(doc.QuerySelectorAll("script, iframe, object, embed, style, form"));
        foreach (var element in doc.Body!.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"<{element.LocalName}> kept {attribute.Name}");
                var value = attribute.Value.Trim().ToLowerInvariant();
                Assert.False(value.StartsWith("javascript:", StringComparison.Ordinal) || value.StartsWith("vbscript:", StringComparison.Ordinal) || value.StartsWith("data:", StringComparison.Ordinal),
                    $"<{element.LocalName} {attribute.Name}=\"{attribute.Value}\"> survived");
            }
        }
    }

    [Fact]
    public void Markdown_renders_headings_lists_tables_emphasis_and_links()
    {
        var html = GuidelinesRenderer.Render("""
            # Labelling sentiment

            Pick **one** label; *neutral* when unsure. See [the handbook](https://example.org/handbook).

            - positive
            - negative

            | label | when |
            | --- | --- |
            | pos | praise |
            """);
        var doc = Parse(html);

        Assert.Equal("Labelling sentiment", doc.QuerySelector("h1")!.TextContent);
        Assert.Equal("one", doc.QuerySelector("strong")!.TextContent);
        Assert.Equal(2, doc.QuerySelectorAll("ul li").Length);
        Assert.NotNull(doc.QuerySelector("table td"));
        var link = doc.QuerySelector("a")!;
        Assert.Equal("https://example.org/handbook", link.GetAttribute("href"));
        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Contains("noopener", link.GetAttribute("rel"), StringComparison.Ordinal);
        AssertInert(html);
    }

    [Fact]
    public void Script_tags_are_shown_as_text_never_run()
    {
        var html = GuidelinesRenderer.Render("Before <script>alert('x')</script> after\n\n<script src=\"https://evil.example/x.js\"></script>");

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Parse(html).QuerySelectorAll("script"));
        AssertInert(html);
    }

    [Theory]
    [InlineData("[click me](javascript:alert(1))")]
    [InlineData("[click me](JaVaScRiPt:alert(1))")]
    [InlineData("[click me](  javascript:alert(document.cookie)  )")]
    [InlineData("[click me](java&#x09;script:alert(1))")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![pic](javascript:alert(1))")]
    [InlineData("[ref][1]\n\n[1]: javascript:alert(1)")]
    [InlineData("[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("[vb](vbscript:msgbox(1))")]
    public void Javascript_links_lose_their_url(string markdown)
    {
        var html = GuidelinesRenderer.Render(markdown);

        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        AssertInert(html);
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>")]
    [InlineData("<div onmouseover=\"alert(1)\">hover</div>")]
    [InlineData("# Title {onclick=\"alert(1)\"}")]
    [InlineData("<svg onload=alert(1)><circle r=5 /></svg>")]
    [InlineData("<iframe src=\"javascript:alert(1)\"></iframe>")]
    [InlineData("<style>body { display: none }</style>")]
    [InlineData("<form action=\"https://evil.example\"><input name=p></form>")]
    public void Event_handlers_and_raw_html_never_become_elements(string markdown)
    {
        var html = GuidelinesRenderer.Render(markdown);

        AssertInert(html);
        Assert.Empty(Parse(html).QuerySelectorAll("img[onerror], svg, div[onmouseover], iframe, style, form"));
    }

    [Fact]
    public void Empty_guidelines_render_to_nothing()
    {
        Assert.Equal(string.Empty, GuidelinesRenderer.Render(null));
        Assert.Equal(string.Empty, GuidelinesRenderer.Render("   \n"));
    }

    [Fact]
    public void Task_list_checkboxes_are_disabled_pictures()
    {
        var doc = Parse(GuidelinesRenderer.Render("- [x] read the examples\n- [ ] label ten items"));

        var boxes = doc.QuerySelectorAll("input");
        Assert.Equal(2, boxes.Length);
        Assert.All(boxes, b => Assert.True(b.HasAttribute("disabled")));
    }
}
