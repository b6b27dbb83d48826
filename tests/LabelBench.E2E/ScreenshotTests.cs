using System.Buffers.Binary;
using LabelBench.Data.Services;
using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>
/// Screenshots of the main pages, into the test output's <c>screenshots/</c>; with
/// <c>LABELBENCH_UPDATE_SCREENSHOTS=1</c> also into the repository's <c>docs/screenshots/</c> for the README.
/// </summary>
public sealed class ScreenshotTests(AppFixture app) : BrowserTest(app)
{
    [SkippableFact]
    public Task Projects_and_annotate_pages_are_captured_at_1280x800() => InBrowserAsync(async page =>
    {
        await page.SignInAsAdminAsync();
        foreach (var name in DemoProjects.Names())
        {
            await Expect(DemoProjects.Card(page, name)).ToBeVisibleAsync();
        }

        await SaveAsync(page, "projects.png");

        // Only looks: no label is chosen, so no draft is left for the other tests.
        await DemoProjects.Card(page, DemoProjects.ReviewSentiment).GetByRole(AriaRole.Link, new() { Name = "Annotate" }).ClickAsync();
        var workspace = page.GetByTestId("annotate-workspace");
        // The workspace's keys are routed by its JS module; the submit button shows when Blazor's circuit is live.
        await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("text-content")).Not.ToBeEmptyAsync();
        await Expect(page.GetByTestId("label-option-positive")).ToBeVisibleAsync();
        await SaveAsync(page, "annotate.png");
    });

    [SkippableFact]
    public Task Image_and_audio_editors_are_captured_at_1280x800() => InBrowserAsync(async page =>
    {
        await page.SignInAsAdminAsync();
        var projects = await App.WithServiceAsync<ProjectService, IReadOnlyList<ProjectSummary>>(s => s.ListAsync(Caller.System));

        // The image editor over the next scene, with the model's boxes as editable pre-annotations; nothing is changed.
        await page.GotoAsync($"/projects/{projects.Single(p => p.Name == "Demo: object boxes").Id}/annotate");
        await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=image-editor]')?.dataset.shapes !== undefined && document.querySelector('[data-testid=image-stage] img')?.complete");
        await page.GetByTestId("item-content").EvaluateAsync("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70)");
        await SaveAsync(page, "image-editor.png");

        // The audio editor: the waveform from the server's peaks, with regions (a draft region is marked by keys when
        // the clip has none; the browser tests clear regions before drawing their own).
        await page.GotoAsync($"/projects/{projects.Single(p => p.Name == "Demo: audio segments").Id}/annotate");
        await page.GetByTestId("submit-annotation").WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("audio-editor")).ToHaveAttributeAsync("data-ready", "true");
        if (await page.GetByTestId("region-row").CountAsync() == 0)
        {
            await page.GetByTestId("annotate-workspace").FocusAsync();
            foreach (var key in new[] { ".", "[", ".", ".", "]", "1" })
            {
                await page.Keyboard.PressAsync(key);
            }

            await Expect(page.GetByTestId("region-row")).ToHaveCountAsync(1);
        }

        await page.GetByTestId("region-chip").First.ClickAsync();
        await page.GetByTestId("item-content").EvaluateAsync("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 70)");
        await SaveAsync(page, "audio-editor.png");
    });

    private static async Task SaveAsync(IPage page, string fileName)
    {
        // Settle fonts and any transition before the picture.
        await page.EvaluateAsync("() => document.fonts.ready");
        var png = await page.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        Assert.Equal((1280, 800), PngSize(png));

        Directory.CreateDirectory(AppFixture.ScreenshotsDir);
        await File.WriteAllBytesAsync(Path.Combine(AppFixture.ScreenshotsDir, fileName), png);
        if (Environment.GetEnvironmentVariable("LABELBENCH_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(RepositoryRoot(), "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, fileName), png);
        }
    }

    /// <summary>Width and height from the PNG's IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(byte[] png) =>
        (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LabelBench.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no LabelBench.sln above {AppContext.BaseDirectory}");
    }
}
