using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Text;
using LabelBench.Data;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>
/// The app on a real 127.0.0.1 port (demo projects seeded) and one headless Chromium, shared by the keyboard tests.
/// Self-contained: it needs nothing but Chromium (<c>LABELBENCH_TEST_CHROMIUM</c> or /usr/bin/chromium); without it the
/// tests are skipped, except on CI (<c>CI=true</c>) where they fail.
/// </summary>
public sealed class KeyboardAnnotationApp : IAsyncLifetime
{
    public const string AdminEmail = "admin@labelbench.local";
    public const string AdminPassword = "Keyboard-Test-1";

    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "labelbench-e2e-keys", Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program>? factory;
    private IPlaywright? playwright;

    public string? SkipReason { get; private set; }

    public string BaseUrl { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => factory!.Services;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("LABELBENCH_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            SkipReason = $"Chromium is not installed at {chromium} (apt-get install chromium, or set LABELBENCH_TEST_CHROMIUM)";
            return;
        }

        Directory.CreateDirectory(dataDir);
        // A factory of its own, not WithWebHostBuilder's derived one: on that, UseKestrel(0) did not take and the app
        // bound the default port 5000, so the tests failed whenever anything else on the machine held it.
        factory = new KeyboardAppFactory(dataDir);
        factory.UseKestrel(0);
        factory.StartServer();
        BaseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A signed-in page of the demo admin (who annotates in the demo projects).</summary>
    public async Task<IPage> SignedInPageAsync()
    {
        var page = await Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        await page.GotoAsync($"{BaseUrl}/Account/Login");
        await page.FillAsync("[name='Input.Email']", AdminEmail);
        await page.FillAsync("[name='Input.Password']", AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        return page;
    }

    public async Task<long> ProjectIdAsync(string name)
    {
        var projects = await Services.GetRequiredService<ProjectService>().ListAsync(Caller.System);
        return projects.Single(p => p.Name == name).Id;
    }

    public async Task<Caller> AdminAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        return new Caller(await db.Users.Where(u => u.Email == AdminEmail).Select(u => u.Id).SingleAsync());
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp clean-up.
        }
    }
}

/// <summary>The app for the keyboard tests, on its own data folder.</summary>
public sealed class KeyboardAppFactory(string dataDir) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder
        .UseSetting("LabelBench:DataDir", dataDir)
        .UseSetting("LabelBench:AdminEmail", KeyboardAnnotationApp.AdminEmail)
        .UseSetting("LabelBench:AdminPassword", KeyboardAnnotationApp.AdminPassword)
        .UseSetting("LabelBench:SeedDemo", "true")
        .UseSetting("LabelBench:Database:Provider", "sqlite");
}

/// <summary>An annotator works whole items with the keyboard alone: spans by keyboard selection and hotkey, pairwise by keys, submit, next, history.</summary>
public sealed class KeyboardAnnotationTests(KeyboardAnnotationApp app) : IClassFixture<KeyboardAnnotationApp>
{
    private const int Timeout = 20_000;

    private void SkipUnlessReady()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Skip.If(app.SkipReason is not null && !ci, app.SkipReason);
        Assert.True(app.SkipReason is null, app.SkipReason);
    }

    [SkippableFact]
    public async Task A_named_entity_item_is_labelled_and_submitted_with_the_keyboard_alone()
    {
        SkipUnlessReady();
        var project = await app.ProjectIdAsync("Demo: named entities");
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/projects/{project}/annotate");

        // Interactive and ready: the workspace puts the keyboard straight into the text.
        await page.WaitForFunctionAsync("() => document.activeElement?.dataset?.testid === 'text-content'", null, new() { Timeout = Timeout });
        var workspace = page.Locator("[data-testid=annotate-workspace]");
        var itemId = long.Parse((await workspace.GetAttributeAsync("data-item-id"))!, CultureInfo.InvariantCulture);
        var text = await page.Locator("[data-testid=text-content]").TextContentAsync() ?? string.Empty;
        var firstWord = text.Split(' ')[0].TrimEnd(',', '.');
        var graphemes = new StringInfo(firstWord).LengthInTextElements;

        // Select the first word with Shift+→, one character (grapheme) at a time, then label it with the LOC hotkey.
        for (var i = 0; i < graphemes; i++)
        {
            await page.Keyboard.PressAsync("Shift+ArrowRight");
        }

        await page.Keyboard.PressAsync("l");
        var end = CodePoints.Length(firstWord);
        await page.Locator($"[data-testid=span-chip][data-start='0'][data-end='{end}'][data-label='LOC']").WaitForAsync(new() { Timeout = Timeout });

        // A second span by keyboard: Ctrl+→ jumps a word, Ctrl+Shift+→ selects the next one (the space before it is
        // never part of a span); ORG by its hotkey.
        var before = await ChipsAsync(page);
        await page.Keyboard.PressAsync("Control+ArrowRight");
        await page.Keyboard.PressAsync("Control+Shift+ArrowRight");
        await page.Keyboard.PressAsync("o");
        await page.WaitForFunctionAsync("n => document.querySelectorAll('[data-testid=span-chip]').length > n", before.Count, new() { Timeout = Timeout });
        var added = (await ChipsAsync(page)).Except(before).Single();
        Assert.Equal("ORG", added.Label);
        var word = CodePoints.Slice(text, added.Start, added.End);
        Assert.True(word.Length > 0 && word == word.Trim() && added.Start > end, $"\"{word}\" at {added.Start}..{added.End}");

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync(
            "id => { const w = document.querySelector('[data-testid=annotate-workspace]'); return w && w.dataset.itemId && w.dataset.itemId !== String(id); }",
            itemId, new() { Timeout = Timeout });
        await page.WaitForFunctionAsync("() => document.activeElement?.dataset?.testid === 'text-content'", null, new() { Timeout = Timeout });

        var stored = await app.Services.GetRequiredService<QueueService>().SubmittedAsync(await app.AdminAsync(), project, itemId);
        var spans = stored.Result["entities"]!.AsArray().Select(s => (s!["start"]!.GetValue<int>(), s["end"]!.GetValue<int>(), s["label"]!.GetValue<string>())).ToList();
        Assert.Contains((0, end, "LOC"), spans);
        Assert.Contains((added.Start, added.End, "ORG"), spans);
        Assert.True(stored.TimeSpentMs > 0);
        await page.CloseAsync();
    }

    private static async Task<List<(int Start, int End, string Label)>> ChipsAsync(IPage page)
    {
        var chips = await page.Locator("[data-testid=span-chip]").EvaluateAllAsync<string[][]>(
            "els => els.map(e => [e.dataset.start, e.dataset.end, e.dataset.label])");
        return chips.Select(c => (int.Parse(c[0], CultureInfo.InvariantCulture), int.Parse(c[1], CultureInfo.InvariantCulture), c[2])).ToList();
    }

    [SkippableFact]
    public async Task A_pairwise_item_is_judged_with_keys_and_corrected_from_the_history()
    {
        SkipUnlessReady();
        var project = await app.ProjectIdAsync("Demo: response preference");
        var page = await app.SignedInPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/projects/{project}/annotate");
        await page.WaitForFunctionAsync("() => document.activeElement?.dataset?.testid === 'annotate-workspace'", null, new() { Timeout = Timeout });
        var workspace = page.Locator("[data-testid=annotate-workspace]");
        var itemId = long.Parse((await workspace.GetAttributeAsync("data-item-id"))!, CultureInfo.InvariantCulture);
        // Which stored response is shown on the left depends on the annotator and the item; the key follows the screen.
        var left = await page.Locator("[data-testid=pairwise-response-left]").GetAttributeAsync("data-response");
        var right = left == "A" ? "B" : "A";

        await page.Keyboard.PressAsync("1");
        await page.Locator($"[data-testid=pairwise-choice-{left}][aria-pressed=true]").WaitForAsync(new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("Shift+Digit3");
        await page.Locator("[data-testid=pairwise-strength-3].mud-button-filled").WaitForAsync(new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync(
            "id => { const w = document.querySelector('[data-testid=annotate-workspace]'); return w && w.dataset.itemId && w.dataset.itemId !== String(id); }",
            itemId, new() { Timeout = Timeout });

        var queue = app.Services.GetRequiredService<QueueService>();
        var admin = await app.AdminAsync();
        var stored = await queue.SubmittedAsync(admin, project, itemId);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["choice"] = left, ["strength"] = 3 }, stored.Result["preference"]), stored.Result.ToJsonString());

        // ← opens the last submission; 2 picks the right-hand response instead; Enter saves the correction.
        await page.WaitForFunctionAsync("() => document.activeElement?.dataset?.testid === 'annotate-workspace'", null, new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Locator("[data-testid=history-banner]").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal(itemId.ToString(CultureInfo.InvariantCulture), await workspace.GetAttributeAsync("data-item-id"));
        await page.Keyboard.PressAsync("2");
        await page.Locator($"[data-testid=pairwise-choice-{right}][aria-pressed=true]").WaitForAsync(new() { Timeout = Timeout });
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-testid=history-banner]").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = Timeout });

        var corrected = await queue.SubmittedAsync(admin, project, itemId);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["choice"] = right, ["strength"] = 3 }, corrected.Result["preference"]), corrected.Result.ToJsonString());
        Assert.NotEqual(itemId.ToString(CultureInfo.InvariantCulture), await workspace.GetAttributeAsync("data-item-id"));
        await page.CloseAsync();
    }
}
