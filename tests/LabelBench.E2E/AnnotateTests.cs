using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace LabelBench.E2E;

public sealed class AnnotateTests(AppFixture app) : BrowserTest(app)
{
    [SkippableFact]
    public Task Labels_by_hotkey_and_by_click_are_submitted_and_exported() => InBrowserAsync(async page =>
    {
        await page.SignInAsAdminAsync();
        await DemoProjects.Card(page, DemoProjects.ReviewSentiment).GetByRole(AriaRole.Link, new() { Name = "Annotate" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.EndsWith("/annotate", StringComparison.Ordinal));
        var projectId = DemoProjects.IdFromUrl(page.Url);

        var workspace = page.GetByTestId("annotate-workspace");
        // The workspace's keys are routed by its JS module; the submit button shows when Blazor's circuit is live.
        await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
        // The workspace takes the focus by itself, so the hotkeys work without a click first.
        await Expect(workspace).ToBeFocusedAsync();

        var text = page.GetByTestId("item-content").GetByTestId("text-content");
        await Expect(text).Not.ToBeEmptyAsync();
        var first = await text.InnerTextAsync();
        Assert.Contains(first, DemoProjects.ReviewTexts(), StringComparison.Ordinal);

        var positive = page.GetByTestId("label-option-positive");
        var negative = page.GetByTestId("label-option-negative");
        await Expect(positive).ToHaveAttributeAsync("aria-pressed", "false");
        await page.Keyboard.PressAsync("1");
        await Expect(positive).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(negative).ToHaveAttributeAsync("aria-pressed", "false");

        await page.Keyboard.PressAsync("Enter");
        await Expect(text).Not.ToHaveTextAsync(first);
        var second = await text.InnerTextAsync();
        Assert.Contains(second, DemoProjects.ReviewTexts(), StringComparison.Ordinal);
        await Expect(positive).ToHaveAttributeAsync("aria-pressed", "false");

        await negative.ClickAsync();
        await Expect(negative).ToHaveAttributeAsync("aria-pressed", "true");
        await page.GetByTestId("submit-annotation").ClickAsync();
        await Expect(text).Not.ToHaveTextAsync(second);

        await page.GotoAsync($"/projects/{projectId}/export");
        var download = page.GetByTestId("export-download");
        await Expect(download).ToBeVisibleAsync();
        var href = await download.GetAttributeAsync("href");
        Assert.False(string.IsNullOrEmpty(href), "the download button has no link");

        // The page's request context carries the browser's sign-in cookie.
        var response = await page.APIRequest.GetAsync(href);
        Assert.Equal(200, response.Status);
        var labels = SentimentsByText(await response.TextAsync());
        Assert.Equal(["positive"], labels.GetValueOrDefault(first, []));
        Assert.Equal(["negative"], labels.GetValueOrDefault(second, []));
    });

    /// <summary>Item text → the sentiments of its submitted annotations, from the full JSONL export.</summary>
    private static Dictionary<string, List<string>> SentimentsByText(string jsonl)
    {
        var labels = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var row = JsonNode.Parse(line)!.AsObject();
            var itemText = row["data"]!["text"]!.GetValue<string>();
            labels[itemText] = row["annotations"]!.AsArray()
                .Where(a => a!["status"]!.GetValue<string>() == "submitted")
                .Select(a => a!["result"]!["sentiment"]!.GetValue<string>())
                .ToList();
        }

        return labels;
    }
}
