using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>All browser tests share one app and one browser; each test gets its own browser context.</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<AppFixture>
{
    public const string Name = "E2E";
}

/// <summary>
/// Starts the web app on a real 127.0.0.1 port (temp data folder, known admin, demo projects) and one headless Chromium.
/// Without Chromium the tests are skipped, except on CI (<c>CI=true</c>), where they fail.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@e2e.labelbench.test";
    public const string AdminPassword = "E2e-admin-pass-1";
    public const string DefaultChromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "labelbench-e2e-" + Guid.NewGuid().ToString("N"));
    private LabelBenchAppFactory? factory;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("LABELBENCH_TEST_CHROMIUM") is { Length: > 0 } path ? path : DefaultChromium;

    /// <summary>The demo datasets the app seeded from (copied next to the tests by the web project).</summary>
    public static string SamplesDir => Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>Where the tests write their screenshots.</summary>
    public static string ScreenshotsDir => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public Uri BaseAddress { get; private set; } = default!;

    public IServiceProvider Services => (factory ?? throw new InvalidOperationException("the app is not running")).Services;

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? MissingChromium =>
        File.Exists(ChromiumPath) ? null : $"Chromium is missing at {ChromiumPath}";

    public async Task InitializeAsync()
    {
        if (MissingChromium is not null)
        {
            return;
        }

        Directory.CreateDirectory(dataDir);
        factory = new LabelBenchAppFactory(dataDir, SamplesDir);
        factory.UseKestrel(0);
        // The app's first start (migrations, demo projects) and the browser's start overlap.
        var app = factory;
        var server = Task.Run(() =>
        {
            app.StartServer();
            return ServerAddress(app);
        });

        // Generous: in `dotnet test` the browser tests share 2 cores with every other test assembly (the media tests
        // decode an hour of audio and an 8000×6000 image); a passing test never waits for these.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        BaseAddress = await server;
    }

    /// <summary>Skips the calling test when Chromium is missing on a developer's machine; fails it on CI.</summary>
    public void RequireBrowser()
    {
        if (MissingChromium is { } missing)
        {
            if (OnCi)
            {
                Assert.Fail($"{missing}: CI must have Chromium at {DefaultChromium} (apt-get install -y chromium), or LABELBENCH_TEST_CHROMIUM set to its path.");
            }

            Skip.If(true, $"{missing}; install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) or set LABELBENCH_TEST_CHROMIUM to a Chromium binary.");
        }
    }

    /// <summary>A fresh browser context (no cookies) at 1280x800 whose relative URLs go to the app.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        RequireBrowser();
        var context = await browser!.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = 1280, Height = 800 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    /// <summary>Runs a scoped service of the app, e.g. <c>UserService</c>, as the admin tooling would.</summary>
    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> use)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        try
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open by SQLite's pool; the temp folder is cleaned by the system.
        }
    }

    private static Uri ServerAddress(LabelBenchAppFactory factory)
    {
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("the test server has no http address");
        // Kestrel may report the wildcard host; the browser needs the loopback address it listens on.
        return new Uri(address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal));
    }
}
