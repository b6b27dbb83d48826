using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabelBench.E2E;

public sealed class AgreementDashboardTests(AppFixture app) : BrowserTest(app)
{
    [SkippableFact]
    public Task Dashboard_shows_heatmap_per_label_bars_and_reliabilities() => InBrowserAsync(async page =>
    {
        var projectId = await AnnotatedProjectAsync();

        await page.SignInAsAdminAsync();
        await page.SetViewportSizeAsync(1280, 1400);
        await page.GotoAsync($"/projects/{projectId}/agreement");

        await Expect(page.GetByTestId("agreement-summary")).ToContainTextAsync("3 annotators");
        await Expect(page.GetByTestId("headline-metric")).ToHaveCountAsync(3);
        var heatmap = page.GetByTestId("agreement-heatmap");
        await Expect(heatmap).ToBeVisibleAsync();
        // Three annotators: a 3 × 3 grid of cells.
        await Expect(heatmap.Locator("rect[width='44']")).ToHaveCountAsync(9);
        var perLabel = page.GetByTestId("agreement-per-label");
        foreach (var label in new[] { "positive", "negative", "neutral" })
        {
            await Expect(perLabel).ToContainTextAsync(label);
        }

        var reliability = page.GetByTestId("agreement-reliability");
        for (var a = 0; a < 3; a++)
        {
            await Expect(reliability).ToContainTextAsync($"rater{a}-");
        }

        var png = await page.ScreenshotAsync(new() { FullPage = false, Animations = ScreenshotAnimations.Disabled });
        Directory.CreateDirectory(AppFixture.ScreenshotsDir);
        await File.WriteAllBytesAsync(Path.Combine(AppFixture.ScreenshotsDir, "agreement.png"), png);
        if (Environment.GetEnvironmentVariable("LABELBENCH_UPDATE_SCREENSHOTS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(RepositoryRoot(), "docs", "screenshots", "agreement.png"), png);
        }
    });

    /// <summary>Three annotators label 12 reviews (overlap 3): one careful, one a little noisy, one careless.</summary>
    private async Task<long> AnnotatedProjectAsync()
    {
        using var scope = App.Services.CreateScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserService>();
        var projects = services.GetRequiredService<ProjectService>();
        var queue = services.GetRequiredService<QueueService>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var schema = await File.ReadAllTextAsync(Path.Combine(AppFixture.SamplesDir, "text-classification", "schema.json"));
        var projectId = await projects.CreateAsync(Caller.System, new ProjectDraft($"Agreement E2E {suffix}", schema, Overlap: 3));
        string[] truth = ["positive", "negative", "neutral", "positive", "negative", "neutral", "positive", "positive", "negative", "neutral", "negative", "positive"];
        var csv = "id,text\n" + string.Concat(truth.Select((_, i) => $"r{i},Review {i} of the agreement test\n"));
        var import = await services.GetRequiredService<ImportService>().ImportAsync(Caller.System, projectId, [new ImportFile("r.csv", csv.Length, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)))]);
        Assert.Equal(truth.Length, import.Imported);
        int[][] mistakes = [[], [3], [1, 4, 7, 10]];
        for (var a = 0; a < 3; a++)
        {
            var id = await users.CreateAsync(Caller.System, $"rater{a}-{suffix}@e2e.test", "Rater-pass-1", admin: false);
            await projects.AddMemberByIdAsync(Caller.System, projectId, id, ProjectRole.Annotator);
            var rater = new Caller(id);
            while (await queue.NextAsync(rater, projectId) is { } next)
            {
                var index = int.Parse(next.ExternalId![1..], System.Globalization.CultureInfo.InvariantCulture);
                var label = mistakes[a].Contains(index) ? (truth[index] == "neutral" ? "positive" : "neutral") : truth[index];
                await queue.SubmitAsync(rater, projectId, next.ItemId, new JsonObject { ["sentiment"] = label }, 1000);
            }
        }

        return projectId;
    }

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
