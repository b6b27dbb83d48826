using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>Base of the browser tests: a fresh browser context per test, and a screenshot of the page when a test fails.</summary>
[Collection(E2ECollection.Name)]
public abstract class BrowserTest(AppFixture app)
{
    protected AppFixture App { get; } = app;

    /// <summary>Runs <paramref name="test"/> on a new page in its own context (no cookies from other tests).</summary>
    protected async Task InBrowserAsync(Func<IPage, Task> test, [CallerMemberName] string name = "")
    {
        await using var context = await App.NewContextAsync();
        var page = await context.NewPageAsync();
        try
        {
            await test(page);
        }
        catch (Exception) when (!page.IsClosed)
        {
            await SaveFailureScreenshotAsync(page, $"failed-{GetType().Name}-{name}.png");
            throw;
        }
    }

    // Playwright's web-first assertions retry until the page agrees or the timeout passes.
    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);

    private static async Task SaveFailureScreenshotAsync(IPage page, string fileName)
    {
        try
        {
            Directory.CreateDirectory(AppFixture.ScreenshotsDir);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.ScreenshotsDir, fileName), FullPage = true });
        }
        catch (PlaywrightException)
        {
            // The test's own failure is what matters.
        }
    }
}
