using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>Signing in through the real login form, as a person does.</summary>
public static class SignIn
{
    /// <summary>Fills and posts the login form; returns when the answer to the post has loaded.</summary>
    public static async Task SubmitLoginAsync(this IPage page, string email, string password)
    {
        if (!page.Url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase))
        {
            await page.GotoAsync("/Account/Login");
        }

        await page.Locator("input[name='Input.Email']").FillAsync(email);
        await page.Locator("input[name='Input.Password']").FillAsync(password);
        // The login page renders statically: a plain form post, answered by a page or a redirect.
        await page.RunAndWaitForResponseAsync(
            () => page.GetByTestId("login-submit").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>Signs in as the fixture's admin and waits until the project list is interactive.</summary>
    public static async Task SignInAsAdminAsync(this IPage page)
    {
        await page.SubmitLoginAsync(AppFixture.AdminEmail, AppFixture.AdminPassword);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/projects");
        await page.GetByTestId("new-project").WaitUntilInteractiveAsync();
    }
}
