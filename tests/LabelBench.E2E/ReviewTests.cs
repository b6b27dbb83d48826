using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LabelBench.E2E;

public sealed class ReviewTests(AppFixture app) : BrowserTest(app)
{
    [SkippableFact]
    public Task Reviewer_overrides_the_most_disputed_item_and_it_leaves_the_queue() => InBrowserAsync(async page =>
    {
        var (projectId, disputed) = await DisputedProjectAsync();

        await page.SignInAsAdminAsync();
        await page.GotoAsync($"/projects/{projectId}/review");
        var queue = page.GetByTestId("review-queue");
        await Expect(queue.GetByTestId("review-queue-item")).ToHaveCountAsync(2);
        // Most disagreement first: the disputed item heads the queue and is opened.
        await Expect(queue.GetByTestId("review-queue-item").First).ToContainTextAsync(disputed);
        await Expect(page.GetByTestId("review-item")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("review-compare")).ToContainTextAsync("positive");
        await Expect(page.GetByTestId("review-compare")).ToContainTextAsync("negative");

        var overrideButton = page.GetByTestId("review-override");
        await overrideButton.WaitUntilInteractiveAsync();
        await page.GetByTestId("annotation-form").First.GetByTestId("label-option-neutral").ClickAsync();
        await page.Locator("textarea[data-testid=review-reason], [data-testid=review-reason] textarea").FillAsync("Both halves of the review cancel out.");
        await overrideButton.ClickAsync();

        await Expect(queue.GetByTestId("review-queue-item")).ToHaveCountAsync(1);
        await Expect(queue).Not.ToContainTextAsync(disputed);

        var final = await App.WithServiceAsync<ReviewService, AdjudicationView?>(async review =>
        {
            var id = await ItemIdAsync(projectId, disputed);
            return (await review.ItemAsync(Caller.System, projectId, id)).Adjudication;
        });
        Assert.NotNull(final);
        Assert.Equal("override", final.Kind);
        Assert.Equal("neutral", final.Result["sentiment"]!.GetValue<string>());
        Assert.Equal("Both halves of the review cancel out.", final.Reason);
    });

    /// <summary>A project where two annotators agree on one review and disagree on the other.</summary>
    private async Task<(long ProjectId, string Disputed)> DisputedProjectAsync()
    {
        using var scope = App.Services.CreateScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserService>();
        var projects = services.GetRequiredService<ProjectService>();
        var import = services.GetRequiredService<ImportService>();
        var queue = services.GetRequiredService<QueueService>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var schema = await File.ReadAllTextAsync(Path.Combine(AppFixture.SamplesDir, "text-classification", "schema.json"));
        var projectId = await projects.CreateAsync(Caller.System, new ProjectDraft($"Review E2E {suffix}", schema, Overlap: 2));
        var csv = "id,text\nagreed,Great kettle and fast delivery.\ndisputed,Loud fan but it keeps the room cool.\n";
        var report = await import.ImportAsync(Caller.System, projectId, [new ImportFile("items.csv", csv.Length, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)))]);
        Assert.Equal(2, report.Imported);
        string[][] labels = [["positive", "positive"], ["positive", "negative"]];
        for (var a = 0; a < 2; a++)
        {
            var id = await users.CreateAsync(Caller.System, $"reviewee{a}-{suffix}@e2e.test", "Annot-pass-1", admin: false);
            await projects.AddMemberByIdAsync(Caller.System, projectId, id, ProjectRole.Annotator);
            var annotator = new Caller(id);
            for (var i = 0; i < 2; i++)
            {
                var next = await queue.NextAsync(annotator, projectId) ?? throw new InvalidOperationException("the queue ran dry");
                var which = next.ExternalId == "agreed" ? 0 : 1;
                await queue.SubmitAsync(annotator, projectId, next.ItemId, new JsonObject { ["sentiment"] = labels[which][a] }, 1000);
            }
        }

        return (projectId, "disputed");
    }

    private async Task<long> ItemIdAsync(long projectId, string externalId) =>
        await App.WithServiceAsync<ItemService, long>(async items =>
            (await items.PageAsync(Caller.System, projectId, 1, 50)).Items.Single(i => i.ExternalId == externalId).Id);
}
