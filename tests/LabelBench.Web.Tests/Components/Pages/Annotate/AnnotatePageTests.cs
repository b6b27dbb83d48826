using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Data;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Pages.Annotate;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LabelBench.Web.Tests.Components.Pages.Annotate;

/// <summary>
/// The annotation workspace over the real services and a SQLite database in a temp folder, as an annotator uses it:
/// hotkeys, submit, skip, the end of the queue, drafts, and what a non-member sees.
/// </summary>
public sealed class AnnotatePageTests : DatabasePageTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private long projectId;
    private string annotatorId = string.Empty;
    private string leadId = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        leadId = await CreateUserAsync("lead@page-tests.local");
        annotatorId = await CreateUserAsync("annotator@page-tests.local");
        var projects = Services.GetRequiredService<ProjectService>();
        var lead = new Caller(leadId);
        projectId = await projects.CreateAsync(lead, new ProjectDraft("Reviews", TestSchemas.Sentiment, Overlap: 1, Guidelines: "Label the tone, not the topic."));
        await projects.AddMemberByIdAsync(lead, projectId, annotatorId, ProjectRole.Annotator);
        var csv = Encoding.UTF8.GetBytes("id,text\nfirst,The first review\nsecond,The second review\n");
        var report = await Services.GetRequiredService<ImportService>().ImportAsync(lead, projectId, [new ImportFile("items.csv", csv.Length, () => new MemoryStream(csv))]);
        Assert.Equal(2, report.Imported);
    }

    private IRenderedComponent<AnnotatePage> RenderAs(string userId, string email) => RenderProjectPageAs<AnnotatePage>(projectId, userId, email);

    private IRenderedComponent<AnnotatePage> RenderAsAnnotator()
    {
        var cut = RenderAs(annotatorId, "annotator@page-tests.local");
        cut.WaitForElement("[data-testid=item-content]", Wait);
        return cut;
    }

    private static void WaitForItem(IRenderedComponent<AnnotatePage> cut, string text) =>
        cut.WaitForAssertion(() => Assert.Contains(text, cut.Find("[data-testid=item-content]").TextContent, StringComparison.Ordinal), Wait);

    private static string Pressed(IRenderedComponent<AnnotatePage> cut, string value) =>
        cut.Find($"[data-testid=label-option-{value}]").GetAttribute("aria-pressed") ?? string.Empty;

    private async Task<List<Annotation>> AnnotationsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();
        return await db.Annotations.AsNoTracking().Where(a => a.ProjectId == projectId).OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public void Shows_the_workspace_with_the_first_item_and_the_label_buttons()
    {
        var cut = RenderAsAnnotator();

        Assert.NotNull(cut.Find("[data-testid=annotate-workspace]"));
        Assert.Contains("The first review", cut.Find("[data-testid=item-content]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Reviews", cut.Find("[data-testid=project-title]").TextContent, StringComparison.Ordinal);
        Assert.Equal("1", cut.Find("[data-testid=label-option-positive] .lb-hotkey").TextContent.Trim());
        Assert.Equal("false", Pressed(cut, "positive"));
        Assert.Contains("0 submitted", cut.Find("[data-testid=my-progress]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressing_an_options_hotkey_selects_it_and_pressing_it_again_clears_it()
    {
        var cut = RenderAsAnnotator();
        var workspace = cut.Find("[data-testid=annotate-workspace]");

        await PressAsync(cut, "key", "2");

        Assert.Equal("true", Pressed(cut, "negative"));
        Assert.Equal("false", Pressed(cut, "positive"));

        await PressAsync(cut, "key", "2");

        Assert.Equal("false", Pressed(cut, "negative"));
    }

    [Fact]
    public async Task Submit_stores_the_annotation_and_shows_the_next_item()
    {
        var cut = RenderAsAnnotator();
        await PressAsync(cut, "key", "1");

        cut.Find("[data-testid=submit-annotation]").Click();

        WaitForItem(cut, "The second review");
        Assert.Equal("false", Pressed(cut, "positive"));
        Assert.Contains("1 submitted", cut.Find("[data-testid=my-progress]").TextContent, StringComparison.Ordinal);
        var stored = Assert.Single(await AnnotationsAsync(), a => a.Status == AnnotationStatus.Submitted);
        Assert.Equal(annotatorId, stored.UserId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"sentiment": "positive"}"""), JsonNode.Parse(stored.ResultJson)), stored.ResultJson);
        Assert.NotNull(stored.IdempotencyKey);
    }

    [Fact]
    public async Task Enter_submits_from_the_keyboard()
    {
        var cut = RenderAsAnnotator();
        await PressAsync(cut, "key", "3");

        await PressAsync(cut, "submit", null);

        WaitForItem(cut, "The second review");
        Assert.Contains("neutral", Assert.Single(await AnnotationsAsync(), a => a.Status == AnnotationStatus.Submitted).ResultJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitting_without_the_required_label_shows_what_is_missing_and_stays()
    {
        var cut = RenderAsAnnotator();

        cut.Find("[data-testid=submit-annotation]").Click();

        cut.WaitForAssertion(() => Assert.Contains("sentiment", cut.Find("[data-testid=annotation-errors]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("The first review", cut.Find("[data-testid=item-content]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(await AnnotationsAsync(), a => a.Status == AnnotationStatus.Submitted);

        // Choosing a label clears the message, and the submit goes through.
        cut.Find("[data-testid=label-option-negative]").Click();
        Assert.Empty(cut.FindAll("[data-testid=annotation-errors]"));
        cut.Find("[data-testid=submit-annotation]").Click();
        WaitForItem(cut, "The second review");
    }

    [Fact]
    public async Task Skip_moves_on_and_after_the_last_item_the_queue_is_empty()
    {
        var cut = RenderAsAnnotator();

        cut.Find("[data-testid=skip-item]").Click();
        WaitForItem(cut, "The second review");
        cut.Find("[data-testid=label-option-positive]").Click();
        cut.Find("[data-testid=submit-annotation]").Click();

        cut.WaitForElement("[data-testid=queue-empty]", Wait);
        Assert.Empty(cut.FindAll("[data-testid=item-content]"));
        var annotations = await AnnotationsAsync();
        Assert.Equal([AnnotationStatus.Skipped, AnnotationStatus.Submitted], annotations.Select(a => a.Status));
    }

    [Fact]
    public async Task The_s_key_skips()
    {
        var cut = RenderAsAnnotator();

        await PressAsync(cut, "skip", null);

        WaitForItem(cut, "The second review");
    }

    [Fact]
    public async Task A_chosen_label_is_saved_as_a_draft_and_comes_back_after_a_reload()
    {
        var cut = RenderAsAnnotator();
        cut.Find("[data-testid=label-option-negative]").Click();

        cut.WaitForAssertion(() => Assert.Equal("draft saved", cut.Find("[data-testid=draft-status]").TextContent.Trim()), Wait);
        await DisposeComponentsAsync();
        var reloaded = RenderAsAnnotator();

        Assert.Contains("The first review", reloaded.Find("[data-testid=item-content]").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", Pressed(reloaded, "negative"));
        Assert.Equal("draft restored", reloaded.Find("[data-testid=draft-status]").TextContent.Trim());
    }

    [Fact]
    public async Task A_models_prediction_is_the_starting_point_and_is_marked()
    {
        var lead = new Caller(leadId);
        var projects = Services.GetRequiredService<ProjectService>();
        projectId = await projects.CreateAsync(lead, new ProjectDraft("Predicted", TestSchemas.Sentiment));
        await projects.AddMemberByIdAsync(lead, projectId, annotatorId, ProjectRole.Annotator);
        var jsonl = Encoding.UTF8.GetBytes("""{"id": "p1", "data": {"text": "Meh."}, "predictions": [{"model": "baseline-1", "result": {"sentiment": "neutral"}, "score": 0.7}]}""" + "\n");
        await Services.GetRequiredService<ImportService>().ImportAsync(lead, projectId, [new ImportFile("p.jsonl", jsonl.Length, () => new MemoryStream(jsonl))]);

        var cut = RenderAsAnnotator();

        Assert.Equal("true", Pressed(cut, "neutral"));
        Assert.Contains("pre-annotated by model", cut.Find("[data-testid=field-sentiment]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=submit-annotation]").Click();
        cut.WaitForElement("[data-testid=queue-empty]", Wait);
        var stored = Assert.Single(await AnnotationsAsync());
        Assert.True(stored.PredictionAcceptedUnchanged);
        Assert.Contains("neutral", stored.ResultJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_member_sees_the_access_error_and_no_item()
    {
        var strangerId = await CreateUserAsync("stranger@page-tests.local");

        var cut = RenderAs(strangerId, "stranger@page-tests.local");

        cut.WaitForElement("[data-testid=access-error]", Wait);
        Assert.Contains("does not exist or you are not a member", cut.Find("[data-testid=access-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=annotate-workspace]"));
        Assert.DoesNotContain("The first review", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lead_without_the_annotator_role_sees_the_access_error()
    {
        var cut = RenderAs(leadId, "lead@page-tests.local");

        cut.WaitForElement("[data-testid=access-error]", Wait);
        Assert.Contains("annotator", cut.Find("[data-testid=access-error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("The first review", cut.Markup, StringComparison.Ordinal);
    }

    /// <summary>What the workspace's browser module does on a key: route it to the page as a command.</summary>
    private static Task PressAsync(IRenderedComponent<AnnotatePage> cut, string command, string? key) =>
        cut.InvokeAsync(() => cut.Instance.OnWorkspaceCommand(command, key));

}
