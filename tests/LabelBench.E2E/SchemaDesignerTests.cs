using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>
/// A lead builds a schema with every field kind in the designer, previews it and saves it, and the annotator's form
/// is exactly that schema; a change that would orphan annotations is refused with the count and migrated on request.
/// Self-contained: the app on a real port (in process, temp data folder) and headless Chromium.
/// </summary>
public sealed class SchemaDesignerTests : IAsyncLifetime
{
    private const string AdminEmail = "admin@labelbench.local";
    private const string AdminPassword = "E2e-schema-designer-1";
    private const string StartSchema = """{"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["yes", "no"]}]}""";

    private static readonly string[] BrowserArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string chromium = Environment.GetEnvironmentVariable("LABELBENCH_TEST_CHROMIUM") ?? "/usr/bin/chromium";
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "labelbench-e2e-schema", Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program>? factory;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private string baseUrl = string.Empty;

    private bool ChromiumMissing => !File.Exists(chromium);

    public async Task InitializeAsync()
    {
        if (ChromiumMissing)
        {
            return;
        }

        Directory.CreateDirectory(dataDir);
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("LabelBench:DataDir", dataDir)
            .UseSetting("LabelBench:AdminEmail", AdminEmail)
            .UseSetting("LabelBench:AdminPassword", AdminPassword)
            .UseSetting("LabelBench:SeedDemo", "false")
            .UseSetting("LabelBench:Database:Provider", "sqlite")
            .UseSetting("LabelBench:Database:ConnectionString", string.Empty));
        factory.UseKestrel(0);
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        baseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = BrowserArgs });
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

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder eventually.
        }
    }

    private void SkipWithoutChromium()
    {
        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (onCi)
        {
            Assert.True(!ChromiumMissing, $"CI=true but Chromium is missing at {chromium}");
        }

        Skip.If(ChromiumMissing, $"Chromium not found at {chromium} (set LABELBENCH_TEST_CHROMIUM or apt-get install chromium)");
    }

    private T Service<T>()
        where T : notnull => factory!.Services.GetRequiredService<T>();

    private async Task<UserInfo> AdminAsync()
    {
        await using var scope = factory!.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserService>().FindByEmailAsync(AdminEmail))!;
    }

    /// <summary>A project with a few items whose data has every key the kinds read; the admin is its lead.</summary>
    private async Task<long> CreateProjectAsync()
    {
        var id = await Service<ProjectService>().CreateAsync(Caller.System, new ProjectDraft("Designer E2E", StartSchema));
        var admin = await AdminAsync();
        await Service<ProjectService>().AddMemberByIdAsync(Caller.System, id, admin.Id, Data.Entities.ProjectRole.Lead);
        await Service<ProjectService>().AddMemberByIdAsync(Caller.System, id, admin.Id, Data.Entities.ProjectRole.Annotator);
        var lines = string.Join("\n", Enumerable.Range(1, 3).Select(i =>
            $$$"""{"id": "r{{{i}}}", "data": {"text": "Review {{{i}}}: works well.", "image": "img{{{i}}}.png", "audio": "clip{{{i}}}.wav", "prompt": "Question {{{i}}}?", "response_a": "Answer A", "response_b": "Answer B", "response_c": "Answer C"}}"""));
        var bytes = Encoding.UTF8.GetBytes(lines + "\n");
        var report = await Service<ImportService>().ImportAsync(Caller.System, id, [new ImportFile("items.jsonl", bytes.Length, () => new MemoryStream(bytes))]);
        Assert.Equal(3, report.Imported);
        return id;
    }

    private async Task<IPage> SignInAsync()
    {
        var page = await browser!.NewPageAsync(new() { ViewportSize = new() { Width = 1500, Height = 1100 } });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync($"{baseUrl}/Account/Login");
        await page.FillAsync("[name='Input.Email']", AdminEmail);
        await page.FillAsync("[name='Input.Password']", AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        return page;
    }

    /// <summary>The settings page is prerendered: switch tabs until the circuit answers, so clicks are not lost.</summary>
    private static async Task OpenDesignerAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForSelectorAsync("[data-testid=schema-designer]");
        var jsonTab = page.Locator("[data-testid=schema-designer] .mud-tab", new() { HasText = "JSON" });
        for (var attempt = 0; attempt < 120; attempt++)
        {
            await jsonTab.ClickAsync();
            if (await page.Locator("[data-testid=schema-designer] .mud-tab-active", new() { HasText = "JSON" }).CountAsync() > 0)
            {
                await page.Locator("[data-testid=schema-designer] .mud-tab", new() { HasText = "Fields" }).ClickAsync();
                return;
            }

            await page.WaitForTimeoutAsync(500);
        }

        Assert.Fail("the settings page never became interactive");
    }

    /// <summary>A text box by test id, whether the id sits on the input or on MudBlazor's wrapper around it.</summary>
    private static ILocator TextBox(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea").First;

    [SkippableFact]
    public async Task A_lead_builds_a_schema_of_every_kind_previews_and_saves_it_and_annotators_get_that_form()
    {
        SkipWithoutChromium();
        var projectId = await CreateProjectAsync();
        var page = await SignInAsync();
        await OpenDesignerAsync(page, $"{baseUrl}/projects/{projectId}/settings");

        // Start empty: remove the project's only field, then add one of every kind.
        await page.ClickAsync("[data-testid=field-remove-0]");
        await page.WaitForSelectorAsync("[data-testid=field-card-0]", new() { State = WaitForSelectorState.Detached });
        var kinds = Enum.GetValues<FieldKind>();
        for (var i = 0; i < kinds.Length; i++)
        {
            await page.SelectOptionAsync("[data-testid=new-field-kind]", kinds[i].ToName());
            await page.ClickAsync("[data-testid=add-field]");
            await page.WaitForSelectorAsync($"[data-testid=field-card-{i}]");
        }

        // Configure the choices field by hand: its name, an option's value, colour and hotkey, and a third option.
        await TextBox(page, "field-name-0").FillAsync("sentiment");
        await page.FillAsync("[data-testid=option-value-0-0]", "positive");
        await page.Locator("[data-testid=option-color-0-0]").EvaluateAsync("(el) => { el.value = '#00aa00'; el.dispatchEvent(new Event('change', { bubbles: true })); }");
        await page.FillAsync("[data-testid=option-hotkey-0-0]", "p");
        await page.ClickAsync("[data-testid=option-add-0]");
        await page.FillAsync("[data-testid=option-value-0-2]", "mixed");
        await page.CheckAsync("[data-testid=field-required-0]");
        await page.FillAsync("[data-testid=field-max-1]", "7");
        await page.Locator("[data-testid=field-max-1]").BlurAsync();

        // A broken rule is listed by field while editing, and saving waits for the fix.
        await page.FillAsync("[data-testid=option-hotkey-0-1]", "p");
        await Assertions.Expect(page.Locator("[data-testid=schema-problems]")).ToContainTextAsync("duplicate hotkey \"p\"");
        await Assertions.Expect(page.Locator("[data-testid=schema-save]")).ToBeDisabledAsync();
        await page.FillAsync("[data-testid=option-hotkey-0-1]", "n");
        await Assertions.Expect(page.Locator("[data-testid=schema-problems]")).ToContainTextAsync("No problems");

        // The preview shows every field, on the project's first item.
        var preview = page.Locator("[data-testid=schema-preview]");
        await Assertions.Expect(preview).ToContainTextAsync("Review 1: works well.");
        foreach (var name in new[] { "sentiment", "rating", "text", "spans", "boxes", "polygons", "keypoints", "segments", "pairwise", "ranking" })
        {
            await Assertions.Expect(preview.Locator($"[data-testid=field-{name}]")).ToBeVisibleAsync();
        }

        await Assertions.Expect(preview.Locator("[data-testid=label-option-mixed]")).ToBeVisibleAsync();

        // The JSON view holds the same schema.
        await page.Locator("[data-testid=schema-designer] .mud-tab", new() { HasText = "JSON" }).ClickAsync();
        var json = await page.InputValueAsync("[data-testid=schema-json]");
        var fromJson = LabelSchemaJson.Parse(json);
        Assert.True(fromJson.IsValid, fromJson.Describe());
        Assert.Equal(kinds, fromJson.Value!.Fields.Select(f => f.Kind));

        await page.ClickAsync("[data-testid=schema-save]");
        await Assertions.Expect(page.Locator("[data-testid=schema-saved]")).ToContainTextAsync("Saved as version 2");

        var project = await Service<ProjectService>().GetAsync(Caller.System, projectId);
        Assert.Equal(2, project.Summary.SchemaVersion);
        Assert.Equal(fromJson.Value, project.Schema);
        var sentiment = project.Schema.FindField("sentiment")!;
        Assert.True(sentiment.Required);
        Assert.Equal(new LabelOption("positive", "#00aa00", "p"), sentiment.Options[0]);
        Assert.Equal(["positive", "no", "mixed"], sentiment.Options.Select(o => o.Value));
        Assert.Equal(7, project.Schema.FindField("rating")!.Max);
        Assert.Equal(["response_a", "response_b"], project.Schema.FindField("pairwise")!.Responses);

        // The annotator's form is exactly the saved schema.
        await page.GotoAsync($"{baseUrl}/projects/{projectId}/annotate");
        // The workspace shows item-side fields (spans, pairwise, ranking) beside the item and the rest beside it: one form each.
        var form = page.GetByTestId("annotate-workspace");
        await Assertions.Expect(form.Locator("[data-testid=annotation-form]").First).ToBeVisibleAsync();
        Assert.Equal(project.Schema.Fields.Select(f => $"field-{f.Name}").Order(StringComparer.Ordinal),
            (await form.Locator("[data-testid^='field-']").EvaluateAllAsync<string[]>("els => els.filter(e => e.parentElement.closest('[data-testid^=field-]') === null).map(e => e.dataset.testid)")).Order(StringComparer.Ordinal));
        await Assertions.Expect(form.Locator("[data-testid=label-option-positive]")).ToBeVisibleAsync();
        await Assertions.Expect(form.Locator("[data-testid=label-option-mixed]")).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task Removing_a_label_in_use_is_refused_with_the_count_and_a_merge_migrates_it()
    {
        SkipWithoutChromium();
        var projectId = await CreateProjectAsync();
        var admin = await AdminAsync();
        var caller = new Caller(admin.Id, IsAdmin: true);
        var queue = Service<QueueService>();
        foreach (var label in new[] { "yes", "yes", "no" })
        {
            var next = (await queue.NextAsync(caller, projectId))!;
            await queue.SubmitAsync(caller, projectId, next.ItemId, new JsonObject { ["sentiment"] = label }, 1000);
        }

        var page = await SignInAsync();
        await OpenDesignerAsync(page, $"{baseUrl}/projects/{projectId}/settings");

        await page.ClickAsync("[data-testid=option-remove-0-0]");
        await page.ClickAsync("[data-testid=schema-save]");

        await Assertions.Expect(page.Locator("[data-testid=schema-change-refused]")).ToContainTextAsync("orphan 2 annotations");
        await Assertions.Expect(page.Locator("[data-testid=schema-impacts]")).ToContainTextAsync("label \"yes\" is removed from \"sentiment\" but 2 annotations use it");
        Assert.Equal(1, (await Service<ProjectService>().GetAsync(Caller.System, projectId)).Summary.SchemaVersion);

        await page.SelectOptionAsync("[data-testid=schema-impact-choice-0]", "merge:no");
        await page.ClickAsync("[data-testid=schema-migrate-save]");
        await Assertions.Expect(page.Locator("[data-testid=schema-saved]")).ToContainTextAsync("2 annotation(s) migrated");

        var project = await Service<ProjectService>().GetAsync(Caller.System, projectId);
        Assert.Equal(2, project.Summary.SchemaVersion);
        Assert.Equal(["no"], project.Schema.FindField("sentiment")!.Options.Select(o => o.Value));
        var exported = new MemoryStream();
        await Service<ExportService>().WriteAsync(Caller.System, projectId, ExportRequest.Parse("jsonl", "all"), exported);
        var text = Encoding.UTF8.GetString(exported.ToArray());
        Assert.DoesNotContain("\"yes\"", text, StringComparison.Ordinal);
        Assert.Contains("\"sentiment\":\"no\"", text, StringComparison.Ordinal);
    }
}
