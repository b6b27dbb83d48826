using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabelBench.Web.Tests.Pages;

/// <summary>Pages are behind the Identity cookie: the sign-in form, the redirect to it, and signing in for real.</summary>
public sealed class AccountPagesTests(LabelBenchAppFactory app) : IClassFixture<LabelBenchAppFactory>
{
    private static async Task<IHtmlDocument> HtmlAsync(HttpResponseMessage response)
    {
        await ApiAssert.StatusAsync(HttpStatusCode.OK, response);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the sign-in form as a browser does, with its antiforgery token and hidden fields.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string path = "/Account/Login")
    {
        var page = await HtmlAsync(await client.GetAsync(path));
        var form = page.QuerySelectorAll("form").OfType<IHtmlFormElement>().Single(f => f.QuerySelector("[name='Input.Email']") is not null);
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Select(i => KeyValuePair.Create(i.Name!, i.Value))
            .Append(KeyValuePair.Create("Input.Email", email))
            .Append(KeyValuePair.Create("Input.Password", password))
            .ToList();
        Assert.Contains(fields, f => f.Key == "__RequestVerificationToken");
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(path, content);
    }

    private HttpClient BrowserClient() =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Login_page_has_the_email_and_password_fields()
    {
        using var client = app.CreateAnonymousClient();

        var page = await HtmlAsync(await client.GetAsync("/Account/Login"));

        Assert.NotNull(page.QuerySelector("input[name='Input.Email']"));
        Assert.Equal("password", (page.QuerySelector("input[name='Input.Password']") as IHtmlInputElement)?.Type);
        Assert.NotNull(page.QuerySelector("[data-testid=login-submit]"));
    }

    [Theory]
    [InlineData("/projects")]
    [InlineData("/projects/1/annotate")]
    [InlineData("/account/tokens")]
    public async Task An_anonymous_visitor_is_sent_to_the_sign_in_page(string path)
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        Assert.StartsWith("/Account/Login", target, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), target, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Signing_in_with_the_configured_admin_opens_the_projects_page_and_the_api()
    {
        using var client = BrowserClient();

        var signIn = await SignInAsync(client, LabelBenchAppFactory.AdminEmail, LabelBenchAppFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.EndsWith("projects", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var projects = await HtmlAsync(await client.GetAsync("/projects"));
        Assert.Equal("Projects", projects.QuerySelector("h1")?.TextContent.Trim());
        // The API accepts the browser's cookie as well as a token. The admin sees every project, and this class
        // creates none: the list is empty because LabelBench:SeedDemo=false kept the demo projects out.
        var api = await client.GetAsync("/api/v1/projects");
        await ApiAssert.StatusAsync(HttpStatusCode.OK, api);
        Assert.Equal("[]", await api.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_visitor_out()
    {
        var email = $"pages-{Guid.NewGuid():N}@web-tests.local";
        await app.CreateUserAsync(email);
        using var client = BrowserClient();

        var signIn = await SignInAsync(client, email, "Wrong-Passw0rd-9");

        var page = await HtmlAsync(signIn);
        Assert.Contains("wrong", page.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/projects")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_returns_to_the_page_that_asked_for_it()
    {
        var email = $"pages-{Guid.NewGuid():N}@web-tests.local";
        await app.CreateUserAsync(email);
        using var client = BrowserClient();

        var signIn = await SignInAsync(client, email, LabelBenchAppFactory.UserPassword, "/Account/Login?ReturnUrl=%2Faccount%2Ftokens");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.EndsWith("/account/tokens", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await HtmlAsync(await client.GetAsync("/account/tokens"));
    }

    [Fact]
    public async Task An_unknown_page_shows_the_not_found_page()
    {
        using var client = app.CreateAnonymousClient();

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
