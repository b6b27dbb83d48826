using System.Text.RegularExpressions;
using LabelBench.Data.Services;
using Microsoft.Playwright;

namespace LabelBench.E2E;

public sealed class SignInTests(AppFixture app) : BrowserTest(app)
{
    [SkippableFact]
    public Task Wrong_password_shows_an_error_and_the_fifth_locks_the_account() => InBrowserAsync(async page =>
    {
        const string email = "lockout@e2e.labelbench.test";
        const string password = "Right-pass-123";
        await App.WithServiceAsync<UserService, string>(users => users.CreateAsync(Caller.System, email, password, admin: false));

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.SubmitLoginAsync(email, $"wrong-pass-{attempt}");
            await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
            await Expect(page.Locator(".alert-danger")).ToHaveTextAsync("Error: the email or password is wrong.");
        }

        await page.SubmitLoginAsync(email, "wrong-pass-5");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Lockout$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Locked out" })).ToBeVisibleAsync();

        // Locked out means the right password no longer works either.
        await page.GotoAsync("/Account/Login");
        await page.SubmitLoginAsync(email, password);
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Lockout$"));
        await page.GotoAsync("/projects");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
    });
}
