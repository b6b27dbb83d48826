using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LabelBench.E2E;

public sealed partial class ImportTests(AppFixture app) : BrowserTest(app)
{
    [SkippableFact]
    public Task New_project_imports_a_csv_and_reports_the_rejected_row() => InBrowserAsync(async page =>
    {
        await page.SignInAsAdminAsync();
        await page.GetByTestId("new-project").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/projects/new");
        var create = page.GetByTestId("create-project");
        await create.WaitUntilInteractiveAsync();

        var name = $"E2E import {Guid.NewGuid():N}"[..18];
        await page.GetByLabel("Name").FillAsync(name);
        // The default template is the sentiment one.
        await Expect(page.GetByLabel("Label schema (JSON)")).ToHaveValueAsync(SentimentSchema());
        await create.ClickAsync();

        await page.WaitForURLAsync(ImportPath());
        await Expect(page.GetByTestId("project-title")).ToHaveTextAsync(name);
        var input = page.GetByTestId("import-file");
        await input.WaitUntilFileInputReadyAsync();

        // Line 4 has no text column; line 6 repeats the id of line 2.
        const string csv = "id,text\ne2e-1,\"Sturdy, quiet and easy to clean.\"\ne2e-2,Stopped working after a week.\ne2e-3\ne2e-4,Does what it says.\ne2e-1,Said twice.\n";
        await input.SetInputFilesAsync(new FilePayload { Name = "reviews.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });

        var report = page.GetByTestId("import-report");
        await Expect(report).ToContainTextAsync("Imported 3 item(s)");
        await Expect(report).ToContainTextAsync("2 rejected");
        var rows = page.GetByTestId("import-rejected").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync([new Regex("^reviews\\.csv$"), new Regex("^4$"), new Regex("field")]);
        await Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync([new Regex("^reviews\\.csv$"), new Regex("^6$"), new Regex("^duplicate id \"e2e-1\" \\(first on line 2\\)$")]);
        Directory.CreateDirectory(AppFixture.ScreenshotsDir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.ScreenshotsDir, "import-report.png"), FullPage = true });
    });

    private static Regex SentimentSchema() => new("\"sentiment\"[\\s\\S]*\"positive\"[\\s\\S]*\"negative\"[\\s\\S]*\"neutral\"");

    [GeneratedRegex(@"/projects/\d+/import$")]
    private static partial Regex ImportPath();
}
