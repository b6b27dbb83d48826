using System.Security.Claims;
using System.Text;
using Bunit;
using LabelBench.Data;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Pages.Export;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LabelBench.Web.Tests.Components.Pages.Export;

/// <summary>
/// The export page over the real services and a SQLite database in a temp folder: the choices a lead makes become the
/// download link, a snapshot saved here shows its progress and then its files, a failed one its reason, and only
/// leads and reviewers get the page.
/// </summary>
public sealed class ExportPageTests : DatabasePageTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private long projectId;
    private string leadId = string.Empty;
    private string annotatorId = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        leadId = await CreateUserAsync("lead@export-page.local");
        annotatorId = await CreateUserAsync("annotator@export-page.local");
        var projects = Services.GetRequiredService<ProjectService>();
        var lead = new Caller(leadId);
        projectId = await projects.CreateAsync(lead, new ProjectDraft("Reviews", TestSchemas.Sentiment, Overlap: 1));
        await projects.AddMemberByIdAsync(lead, projectId, annotatorId, ProjectRole.Annotator);
        var csv = Encoding.UTF8.GetBytes("id,text\nfirst,The first review\nsecond,The second review\nthird,The third review\n");
        var report = await Services.GetRequiredService<ImportService>().ImportAsync(lead, projectId, [new ImportFile("items.csv", csv.Length, () => new MemoryStream(csv))]);
        Assert.Equal(3, report.Imported);
    }

    private IRenderedComponent<ExportPage> RenderAs(string userId, string email) => RenderProjectPageAs<ExportPage>(projectId, userId, email);

    private IRenderedComponent<ExportPage> RenderAsLead()
    {
        var cut = RenderAs(leadId, "lead@export-page.local");
        cut.WaitForElement("[data-testid=export-download]", Wait);
        return cut;
    }

    private ExportSnapshotService Snapshots => Services.GetRequiredService<ExportSnapshotService>();

    private async Task UpdateSnapshotAsync(long id, Action<ExportSnapshot> change)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        var snapshot = await db.ExportSnapshots.SingleAsync(s => s.Id == id);
        change(snapshot);
        await db.SaveChangesAsync();
    }

    private static string Download(IRenderedComponent<ExportPage> cut) => cut.Find("[data-testid=export-download]").GetAttribute("href") ?? string.Empty;

    /// <summary>Picks a value the way the select's list does: through its two-way binding.</summary>
    private static async Task ChooseAsync<T>(IRenderedComponent<ExportPage> cut, string label, T value)
    {
        var select = cut.FindComponents<MudSelect<T>>().Single(s => s.Instance.Label == label);
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static async Task TypeAsync(IRenderedComponent<ExportPage> cut, string label, string value)
    {
        var field = cut.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == label);
        await cut.InvokeAsync(() => field.Instance.ValueChanged.InvokeAsync(value));
    }

    [Fact]
    public async Task Every_format_and_label_source_is_offered_and_the_download_link_carries_the_choices_and_filters()
    {
        var cut = RenderAsLead();
        Assert.Equal($"/api/v1/projects/{projectId}/export?format=jsonl&source=all", Download(cut));
        var offered = cut.FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ToList();
        Assert.All(ExportRequest.Formats.Keys.Concat(ExportRequest.Sources), value => Assert.Contains(value, offered));

        foreach (var format in ExportRequest.Formats.Keys)
        {
            await ChooseAsync(cut, "Format", format);
            Assert.Contains($"format={format}&", Download(cut), StringComparison.Ordinal);
        }

        foreach (var source in ExportRequest.Sources)
        {
            await ChooseAsync(cut, "Labels", source);
            Assert.Contains($"&source={source}", Download(cut), StringComparison.Ordinal);
        }

        await ChooseAsync(cut, "Format", "csv");
        await ChooseAsync(cut, "Labels", "final");
        await ChooseAsync<string>(cut, "Split", "train");
        await TypeAsync(cut, "Has label", "positive");
        await TypeAsync(cut, "Annotator", "annotator-1a2b3c");
        var from = cut.FindComponents<MudDatePicker>().Single(d => d.Instance.Label == "Submitted from");
        var to = cut.FindComponents<MudDatePicker>().Single(d => d.Instance.Label == "Submitted to (inclusive)");
        await cut.InvokeAsync(() => from.Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Unspecified)));
        await cut.InvokeAsync(() => to.Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 31, 0, 0, 0, DateTimeKind.Unspecified)));

        Assert.Equal(
            $"/api/v1/projects/{projectId}/export?format=csv&source=final&split=train&label=positive&from=2026-03-01&to=2026-03-31&annotator=annotator-1a2b3c",
            Download(cut));
    }

    [Fact]
    public async Task A_snapshot_saved_here_shows_its_progress_and_then_its_file_and_manifest_links()
    {
        var cut = RenderAsLead();
        Assert.Contains("No snapshot yet", cut.Find("[data-testid=export-snapshots]").TextContent, StringComparison.Ordinal);

        await TypeAsync(cut, "Snapshot name", "release 1");
        await cut.InvokeAsync(() => cut.Find("[data-testid=export-save-snapshot]").Click());

        cut.WaitForAssertion(() => Assert.Contains("is being written", cut.Find("[data-testid=export-message]").TextContent, StringComparison.Ordinal), Wait);
        var snapshot = Assert.Single(await Snapshots.ListAsync(new Caller(leadId), projectId));
        var row = $"[data-testid=export-snapshot-{snapshot.Id}]";
        Assert.Contains("running", cut.Find(row).TextContent, StringComparison.Ordinal);
        Assert.Contains("0 of about 3 items", cut.Find(row).TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll($"{row} [data-testid=export-snapshot-file]"));

        // The worker's heartbeat records progress; the page polls for it.
        await UpdateSnapshotAsync(snapshot.Id, s => s.ProgressItems = 2);
        cut.WaitForAssertion(() => Assert.Contains("2 of about 3 items", cut.Find(row).TextContent, StringComparison.Ordinal), Wait);

        Assert.True(await Snapshots.RunNextAsync("page-test-worker"));

        cut.WaitForAssertion(() => Assert.Contains("ready", cut.Find(row).TextContent, StringComparison.Ordinal), Wait);
        var file = cut.Find($"{row} [data-testid=export-snapshot-file]");
        Assert.Equal($"/api/v1/projects/{projectId}/exports/{snapshot.Id}/files/dataset.jsonl", file.GetAttribute("href"));
        Assert.Equal("dataset.jsonl", file.TextContent.Trim());
        Assert.NotNull(file.GetAttribute("download"));
        Assert.Equal($"/api/v1/projects/{projectId}/exports/{snapshot.Id}/manifest", cut.Find($"{row} [data-testid=export-snapshot-manifest]").GetAttribute("href"));
        var ready = await Snapshots.GetAsync(new Caller(leadId), projectId, snapshot.Id);
        Assert.Contains(ready.Files[0].Sha256[..12], cut.Find(row).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_snapshot_shows_why_and_offers_no_file()
    {
        var created = await Snapshots.CreateAsync(new Caller(leadId), projectId, "broken", ExportRequest.Parse("csv", "all"));
        await UpdateSnapshotAsync(created.Id, s =>
        {
            s.Status = ExportSnapshot.Failed;
            s.Error = "No space left on device";
            s.CompletedAt = DateTimeOffset.UtcNow;
        });

        var cut = RenderAsLead();

        var row = cut.Find($"[data-testid=export-snapshot-{created.Id}]");
        Assert.Contains("failed", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("No space left on device", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("broken", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=export-snapshot-file]"));
    }

    [Fact]
    public async Task A_snapshot_name_already_taken_is_refused_with_the_reason()
    {
        await Snapshots.CreateAsync(new Caller(leadId), projectId, "v1", ExportRequest.Parse("jsonl", "final"));
        var cut = RenderAsLead();

        await TypeAsync(cut, "Snapshot name", "v1");
        await cut.InvokeAsync(() => cut.Find("[data-testid=export-save-snapshot]").Click());

        cut.WaitForAssertion(() => Assert.Contains("already has a snapshot named \"v1\"", cut.Find("[data-testid=export-message]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Single(await Snapshots.ListAsync(new Caller(leadId), projectId));
    }

    [Fact]
    public void An_annotator_is_told_that_leads_and_reviewers_export()
    {
        var cut = RenderAs(annotatorId, "annotator@export-page.local");

        cut.WaitForAssertion(() => Assert.Contains("Only the project's leads and reviewers export data.", cut.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=export-download]"));
        Assert.Empty(cut.FindAll("[data-testid=export-snapshots]"));
    }
}
