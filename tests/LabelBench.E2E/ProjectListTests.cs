namespace LabelBench.E2E;

public sealed class ProjectListTests(AppFixture app) : BrowserTest(app)
{
    [SkippableFact]
    public Task Admin_signs_in_and_sees_the_five_demo_projects() => InBrowserAsync(async page =>
    {
        var names = DemoProjects.Names();
        Assert.Equal(5, names.Count);
        Assert.Contains(DemoProjects.ReviewSentiment, names);

        await page.SignInAsAdminAsync();

        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "Projects", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync(AppFixture.AdminEmail);
        foreach (var name in names)
        {
            await Expect(DemoProjects.Card(page, name)).ToHaveCountAsync(1);
        }
    });
}
