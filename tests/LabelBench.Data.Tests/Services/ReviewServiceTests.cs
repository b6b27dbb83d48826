using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Services;

public abstract class ReviewServiceTests : DatabaseTests
{
    private ReviewService Review => Db.Get<ReviewService>();

    private QueueService Queue => Db.Get<QueueService>();

    /// <summary>Two annotators label three items: they agree on r-1 and disagree on r-2 and r-3.</summary>
    private async Task<(Caller Lead, Caller Reviewer, Caller[] Annotators, long ProjectId, IReadOnlyList<long> Items)> DisagreeingProjectAsync()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projectId = await Db.CreateSentimentProjectAsync(lead, overlap: 2);
        var items = await Db.ImportReviewsAsync(lead, projectId, 3);
        var annotators = await Db.CreateAnnotatorsAsync(lead, projectId, 2);
        var reviewer = await Db.CreateUserAsync("reviewer@test.local");
        await Db.AddMembersAsync(lead, projectId, ProjectRole.Reviewer, reviewer);
        string[][] labels = [["positive", "positive"], ["positive", "negative"], ["neutral", "negative"]];
        for (var i = 0; i < items.Count; i++)
        {
            for (var a = 0; a < 2; a++)
            {
                await Queue.SubmitAsync(annotators[a], projectId, items[i], TestData.Label(labels[i][a]), 1000);
            }
        }

        return (lead, reviewer, annotators, projectId, items);
    }

    [SkippableFact]
    public async Task Queue_serves_disagreements_before_agreed_items()
    {
        var (_, reviewer, _, projectId, items) = await DisagreeingProjectAsync();

        var queue = await Review.QueueAsync(reviewer, projectId, new ReviewQueueFilter());

        Assert.Equal(3, queue.Total);
        Assert.Equal([items[1], items[2]], queue.Items.Take(2).Select(i => i.ItemId).Order().ToArray());
        Assert.Equal(items[0], queue.Items[2].ItemId);
        Assert.Equal(1.0, queue.Items[0].Disagreement);
        Assert.Equal(0.0, queue.Items[2].Disagreement);
        var onlyDisagreements = await Review.QueueAsync(reviewer, projectId, new ReviewQueueFilter(MinDisagreement: 0.5));
        Assert.Equal(2, onlyDisagreements.Total);
        var withNeutral = await Review.QueueAsync(reviewer, projectId, new ReviewQueueFilter(Label: "neutral"));
        Assert.Equal([items[2]], withNeutral.Items.Select(i => i.ItemId).ToArray());
    }

    [SkippableFact]
    public async Task Override_needs_a_reason_and_becomes_the_exported_final_label()
    {
        var (_, reviewer, _, projectId, items) = await DisagreeingProjectAsync();

        var noReason = await Assert.ThrowsAsync<ServiceException>(() => Review.AdjudicateAsync(reviewer, projectId, items[1], new AdjudicationRequest(null, TestData.Label("neutral"), null)));
        Assert.Equal(ServiceErrorKind.Invalid, noReason.Kind);
        Assert.Contains("reason", noReason.Message, StringComparison.Ordinal);

        var decision = await Review.AdjudicateAsync(reviewer, projectId, items[1], new AdjudicationRequest(null, TestData.Label("neutral"), "mixed review: praise and complaint balance"));
        Assert.Equal("override", decision.Kind);

        var queue = await Review.QueueAsync(reviewer, projectId, new ReviewQueueFilter());
        Assert.DoesNotContain(queue.Items, i => i.ItemId == items[1]);

        var export = Db.Get<ExportService>();
        using var output = new MemoryStream();
        await export.WriteAsync(reviewer, projectId, ExportRequest.Parse("jsonl", "final"), output);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var overridden = lines.Single(l => l["id"]!.GetValue<long>() == items[1]);
        Assert.Equal("neutral", overridden["final"]!["sentiment"]!.GetValue<string>());
        Assert.Equal("adjudication", overridden["finalSource"]!.GetValue<string>());

        var audit = await Db.Get<AuditService>().ListAsync(reviewer, projectId, new AuditFilter(Action: "adjudication.saved"));
        Assert.Equal("mixed review: praise and complaint balance", Assert.Single(audit.Events).Reason);
    }

    [SkippableFact]
    public async Task Flagged_items_come_first_and_the_flagged_only_filter_finds_them()
    {
        var (_, reviewer, annotators, projectId, items) = await DisagreeingProjectAsync();

        await Db.Get<ReviewService>().FlagAsync(annotators[0], projectId, items[0], "Is sarcasm positive?");

        var queue = await Review.QueueAsync(reviewer, projectId, new ReviewQueueFilter());
        Assert.Equal(items[0], queue.Items[0].ItemId);
        Assert.True(queue.Items[0].Flagged);
        var flagged = await Review.QueueAsync(reviewer, projectId, new ReviewQueueFilter(FlaggedOnly: true));
        Assert.Equal([items[0]], flagged.Items.Select(i => i.ItemId).ToArray());
        var view = await Review.ItemAsync(reviewer, projectId, items[0]);
        Assert.Equal("Is sarcasm positive?", view.Annotations.Single(a => a.AnnotatorId == annotators[0].UserId).Comment);
    }

    [SkippableFact]
    public async Task Annotators_cannot_adjudicate()
    {
        var (_, _, annotators, projectId, items) = await DisagreeingProjectAsync();

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Review.AdjudicateAsync(annotators[0], projectId, items[1], new AdjudicationRequest(null, TestData.Label("neutral"), "because")));

        Assert.Equal(ServiceErrorKind.Forbidden, ex.Kind);
    }

    [SkippableFact]
    public async Task Reviewers_cannot_decide_on_their_own_annotations_unless_allowed()
    {
        var (lead, _, annotators, projectId, items) = await DisagreeingProjectAsync();
        await Db.AddMembersAsync(lead, projectId, ProjectRole.Reviewer, annotators[0]);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Review.AdjudicateAsync(annotators[0], projectId, items[1], new AdjudicationRequest(null, TestData.Label("positive"), "mine is right")));
        Assert.Equal(ServiceErrorKind.Forbidden, ex.Kind);

        await using (var ctx = await Db.ContextAsync())
        {
            await ctx.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.AllowSelfReview, true));
        }

        var decision = await Review.AdjudicateAsync(annotators[0], projectId, items[1], new AdjudicationRequest(null, TestData.Label("positive"), "mine is right"));
        Assert.Equal("override", decision.Kind);
    }

    [SkippableFact]
    public async Task Two_reviewers_racing_on_one_item_get_one_success_and_one_conflict()
    {
        var (lead, reviewer, _, projectId, items) = await DisagreeingProjectAsync();
        var second = await Db.CreateUserAsync("reviewer2@test.local");
        await Db.AddMembersAsync(lead, projectId, ProjectRole.Reviewer, second);
        var view = await Review.ItemAsync(reviewer, projectId, items[2]);

        var results = await Task.WhenAll(
            Try(() => Review.AdjudicateAsync(reviewer, projectId, items[2], new AdjudicationRequest(view.Annotations[0].Id, null, null))),
            Try(() => Review.AdjudicateAsync(second, projectId, items[2], new AdjudicationRequest(view.Annotations[1].Id, null, null))));

        Assert.Equal(1, results.Count(r => r is null));
        Assert.Equal(ServiceErrorKind.Conflict, Assert.Single(results, r => r is not null)!.Kind);

        // Changing a decision needs the version the reviewer saw: a stale one is a conflict too.
        var stale = await Assert.ThrowsAsync<ServiceException>(() =>
            Review.AdjudicateAsync(second, projectId, items[2], new AdjudicationRequest(view.Annotations[1].Id, null, null, null, Guid.NewGuid())));
        Assert.Equal(ServiceErrorKind.Conflict, stale.Kind);

        static async Task<ServiceException?> Try(Func<Task> action)
        {
            try
            {
                await action();
                return null;
            }
            catch (ServiceException ex)
            {
                return ex;
            }
        }
    }

    [SkippableFact]
    public async Task Sent_back_annotation_returns_to_its_annotator_as_a_draft_with_the_comment()
    {
        var (_, reviewer, annotators, projectId, items) = await DisagreeingProjectAsync();
        var view = await Review.ItemAsync(reviewer, projectId, items[2]);
        var theirs = view.Annotations.Single(a => a.AnnotatorId == annotators[1].UserId);

        await Review.SendBackAsync(reviewer, projectId, items[2], theirs.Id, "Read the last sentence again.");

        var next = await Queue.NextAsync(annotators[1], projectId);
        Assert.NotNull(next);
        Assert.Equal(items[2], next.ItemId);
        Assert.Equal("negative", next.Draft!["sentiment"]!.GetValue<string>());
        var resubmit = await Queue.SubmitAsync(annotators[1], projectId, items[2], TestData.Label("neutral"), 500);
        Assert.True(resubmit.Created);
        var after = await Review.ItemAsync(reviewer, projectId, items[2]);
        Assert.All(after.Annotations, a => Assert.Equal("neutral", a.Result["sentiment"]!.GetValue<string>()));
        Assert.Equal(0.0, after.Disagreement);
    }
}

public sealed class ReviewServiceSqliteTests : ReviewServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ReviewServicePostgresTests : ReviewServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
