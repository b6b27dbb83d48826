using System.Text.Json.Nodes;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Services;

public abstract class QueueServiceTests : DatabaseTests
{
    private QueueService Queue => Db.Get<QueueService>();

    private async Task<(Caller Lead, long ProjectId, IReadOnlyList<long> Items, Caller[] Annotators)> SetUpAsync(int overlap, int items, int annotators)
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projectId = await Db.CreateSentimentProjectAsync(lead, overlap);
        var itemIds = await Db.ImportReviewsAsync(lead, projectId, items);
        return (lead, projectId, itemIds, await Db.CreateAnnotatorsAsync(lead, projectId, annotators));
    }

    private async Task<List<(long ItemId, string UserId, AnnotationStatus Status)>> AnnotationsAsync(long projectId)
    {
        await using var ctx = await Db.ContextAsync();
        return (await ctx.Annotations.AsNoTracking().Where(a => a.ProjectId == projectId).Select(a => new { a.ItemId, a.UserId, a.Status }).ToListAsync())
            .Select(a => (a.ItemId, a.UserId, a.Status)).ToList();
    }

    [SkippableFact]
    public async Task Overlap_2_with_3_annotators_gives_every_item_exactly_2_distinct_annotators()
    {
        var (_, projectId, items, annotators) = await SetUpAsync(overlap: 2, items: 5, annotators: 3);
        var received = annotators.ToDictionary(a => a.UserId, _ => new List<long>());

        // Take turns until nobody gets anything: the queue decides who labels what.
        var anyone = true;
        var labels = new[] { "positive", "negative", "neutral" };
        for (var round = 0; anyone; round++)
        {
            Assert.True(round < 20, "the queue kept handing out items");
            anyone = false;
            foreach (var annotator in annotators)
            {
                var next = await Queue.NextAsync(annotator, projectId);
                if (next is null)
                {
                    continue;
                }

                anyone = true;
                received[annotator.UserId].Add(next.ItemId);
                var outcome = await Queue.SubmitAsync(annotator, projectId, next.ItemId, TestData.Label(labels[round % 3]), 1000);
                Assert.True(outcome.Created);
            }
        }

        var submitted = (await AnnotationsAsync(projectId)).Where(a => a.Status == AnnotationStatus.Submitted).ToList();
        Assert.Equal(items.Count * 2, submitted.Count);
        foreach (var item in items)
        {
            var users = submitted.Where(a => a.ItemId == item).Select(a => a.UserId).ToList();
            Assert.Equal(2, users.Count);
            Assert.Equal(2, users.Distinct().Count());
        }

        foreach (var (_, got) in received)
        {
            Assert.Equal(got.Count, got.Distinct().Count());
        }
    }

    [SkippableFact]
    public async Task Next_twice_by_the_same_person_returns_the_same_item_as_a_second_tab_would()
    {
        var (_, projectId, items, annotators) = await SetUpAsync(overlap: 1, items: 3, annotators: 2);

        var first = await Queue.NextAsync(annotators[0], projectId);
        Db.Time.Advance(TimeSpan.FromMinutes(5));
        var second = await Queue.NextAsync(annotators[0], projectId);
        var other = await Queue.NextAsync(annotators[1], projectId);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(items[0], first.ItemId);
        Assert.Equal(first.ItemId, second.ItemId);
        Assert.Equal("Review number 1 of the test set", first.Data["text"]!.GetValue<string>());
        Assert.True(second.LeaseExpiresAt > first.LeaseExpiresAt, "looking again renews the lease");
        Assert.NotNull(other);
        Assert.Equal(items[1], other.ItemId);
    }

    [SkippableFact]
    public async Task Two_tabs_asking_at_the_same_moment_get_the_same_item_and_hold_one_lease()
    {
        var (_, projectId, _, annotators) = await SetUpAsync(overlap: 1, items: 40, annotators: 1);
        var person = annotators[0];

        for (var round = 0; round < 15; round++)
        {
            // Both tabs race through the claim; the database must leave the person holding one item, shown in both.
            var tabs = await Task.WhenAll(Task.Run(() => Queue.NextAsync(person, projectId)), Task.Run(() => Queue.NextAsync(person, projectId)));

            Assert.All(tabs, Assert.NotNull);
            Assert.Equal(tabs[0]!.ItemId, tabs[1]!.ItemId);
            await using (var ctx = await Db.ContextAsync())
            {
                Assert.Equal(1, await ctx.Assignments.CountAsync(a => a.ProjectId == projectId && a.UserId == person.UserId && a.State == AssignmentState.Leased));
            }

            await Queue.SubmitAsync(person, projectId, tabs[0]!.ItemId, TestData.Label("neutral"), 10);
        }
    }

    [SkippableFact]
    public async Task An_expired_lease_returns_the_item_to_the_pool_for_another_annotator()
    {
        var (_, projectId, items, annotators) = await SetUpAsync(overlap: 1, items: 1, annotators: 2);
        var (a, b) = (annotators[0], annotators[1]);

        var held = await Queue.NextAsync(a, projectId);
        Assert.Equal(items[0], held?.ItemId);
        Assert.Null(await Queue.NextAsync(b, projectId));

        Db.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Null(await Queue.NextAsync(b, projectId));

        Db.Time.Advance(TimeSpan.FromMinutes(2)); // past the 30-minute lease
        var taken = await Queue.NextAsync(b, projectId);
        Assert.Equal(items[0], taken?.ItemId);

        Assert.Null(await Queue.NextAsync(a, projectId));
        var late = await Assert.ThrowsAsync<ServiceException>(() => Queue.SubmitAsync(a, projectId, items[0], TestData.Label("positive"), 10));
        Assert.Equal(ServiceErrorKind.Conflict, late.Kind);
        Assert.True((await Queue.SubmitAsync(b, projectId, items[0], TestData.Label("negative"), 10)).Created);
        Assert.Equal([(items[0], b.UserId, AnnotationStatus.Submitted)], await AnnotationsAsync(projectId));
    }

    [SkippableFact]
    public async Task Skip_frees_the_place_and_the_skipper_never_gets_the_item_again()
    {
        var (_, projectId, items, annotators) = await SetUpAsync(overlap: 1, items: 2, annotators: 2);
        var (a, b) = (annotators[0], annotators[1]);

        Assert.Equal(items[0], (await Queue.NextAsync(a, projectId))?.ItemId);
        await Queue.SkipAsync(a, projectId, items[0]);

        Assert.Equal(items[1], (await Queue.NextAsync(a, projectId))?.ItemId);
        await Queue.SubmitAsync(a, projectId, items[1], TestData.Label("positive"), 10);
        Assert.Null(await Queue.NextAsync(a, projectId));

        Assert.Equal(items[0], (await Queue.NextAsync(b, projectId))?.ItemId);
        await Queue.SubmitAsync(b, projectId, items[0], TestData.Label("neutral"), 10);
        var submitAfterSkip = await Assert.ThrowsAsync<ServiceException>(() => Queue.SubmitAsync(a, projectId, items[0], TestData.Label("positive"), 10));
        Assert.Equal(ServiceErrorKind.Conflict, submitAfterSkip.Kind);

        var progress = await Queue.ProgressAsync(a, projectId);
        Assert.Equal((1L, 1L), (progress.MySubmitted, progress.MySkipped));
        Assert.Equal(2, progress.ProjectComplete);
    }

    [SkippableFact]
    public async Task A_retried_submit_with_the_same_idempotency_key_is_stored_once()
    {
        var (lead, projectId, items, annotators) = await SetUpAsync(overlap: 1, items: 1, annotators: 1);
        var a = annotators[0];
        await Queue.NextAsync(a, projectId);

        var first = await Queue.SubmitAsync(a, projectId, items[0], TestData.Label("positive"), 1200, idempotencyKey: "tab-1-submit-1");
        var retry = await Queue.SubmitAsync(a, projectId, items[0], TestData.Label("positive"), 1200, idempotencyKey: "tab-1-submit-1");

        Assert.True(first.Created);
        Assert.False(retry.Created);
        Assert.Equal(first.AnnotationId, retry.AnnotationId);
        Assert.Single(await AnnotationsAsync(projectId));
        var again = await Assert.ThrowsAsync<ServiceException>(() => Queue.SubmitAsync(a, projectId, items[0], TestData.Label("negative"), 5));
        Assert.Equal(ServiceErrorKind.Conflict, again.Kind);
        var otherKey = await Assert.ThrowsAsync<ServiceException>(() => Queue.SubmitAsync(a, projectId, items[0], TestData.Label("negative"), 5, idempotencyKey: "tab-2"));
        Assert.Equal(ServiceErrorKind.Conflict, otherKey.Kind);
        var summary = (await Db.Get<ProjectService>().GetAsync(lead, projectId)).Summary;
        Assert.Equal((1L, 1L), (summary.Submitted, summary.ItemsComplete));
    }

    [SkippableFact]
    public async Task An_invalid_result_is_refused_naming_the_field()
    {
        var (_, projectId, items, annotators) = await SetUpAsync(overlap: 1, items: 1, annotators: 1);
        var a = annotators[0];
        await Queue.NextAsync(a, projectId);

        var wrongValue = await Assert.ThrowsAsync<ServiceException>(() => Queue.SubmitAsync(a, projectId, items[0], TestData.Label("angry"), 10));
        var missing = await Assert.ThrowsAsync<ServiceException>(() => Queue.SubmitAsync(a, projectId, items[0], new JsonObject(), 10));
        var unknown = await Assert.ThrowsAsync<ServiceException>(() =>
            Queue.SubmitAsync(a, projectId, items[0], new JsonObject { ["sentiment"] = "positive", ["mood"] = "calm" }, 10));

        Assert.All(new[] { wrongValue, missing, unknown }, e => Assert.Equal(ServiceErrorKind.Invalid, e.Kind));
        Assert.Equal("sentiment", Assert.Single(wrongValue.Errors).Path);
        Assert.Contains("sentiment", wrongValue.Message, StringComparison.Ordinal);
        Assert.Equal("sentiment", Assert.Single(missing.Errors).Path);
        Assert.Equal("mood", Assert.Single(unknown.Errors).Path);
        Assert.Empty(await AnnotationsAsync(projectId));
        Assert.Equal(items[0], (await Queue.NextAsync(a, projectId))?.ItemId);
    }

    [SkippableFact]
    public async Task Submitting_without_next_works_while_places_remain_and_conflicts_when_the_item_is_full()
    {
        var (lead, projectId, items, annotators) = await SetUpAsync(overlap: 2, items: 1, annotators: 3);

        Assert.True((await Queue.SubmitAsync(annotators[0], projectId, items[0], TestData.Label("positive"), 10)).Created);
        Assert.True((await Queue.SubmitAsync(annotators[1], projectId, items[0], TestData.Label("positive"), 10)).Created);
        var full = await Assert.ThrowsAsync<ServiceException>(() => Queue.SubmitAsync(annotators[2], projectId, items[0], TestData.Label("negative"), 10));

        Assert.Equal(ServiceErrorKind.Conflict, full.Kind);
        Assert.Equal(2, (await AnnotationsAsync(projectId)).Count);
        Assert.Null(await Queue.NextAsync(annotators[2], projectId));
        Assert.Equal(1, (await Db.Get<ProjectService>().GetAsync(lead, projectId)).Summary.ItemsComplete);
    }

    [SkippableFact]
    public async Task A_saved_draft_comes_back_with_the_item()
    {
        var (_, projectId, items, annotators) = await SetUpAsync(overlap: 1, items: 2, annotators: 1);
        var a = annotators[0];
        var item = (await Queue.NextAsync(a, projectId))!.ItemId;

        await Queue.SaveDraftAsync(a, projectId, item, TestData.Label("neutral"), 1500);
        var reopened = await Queue.NextAsync(a, projectId);
        await Queue.SaveDraftAsync(a, projectId, item, TestData.Label("negative"), 2500);
        var reopenedAgain = await Queue.NextAsync(a, projectId);

        Assert.Equal(item, reopened?.ItemId);
        Assert.Equal("neutral", reopened!.Draft?["sentiment"]?.GetValue<string>());
        Assert.Equal(1500, reopened.DraftTimeSpentMs);
        Assert.Equal("negative", reopenedAgain!.Draft?["sentiment"]?.GetValue<string>());
        Assert.Equal(2500, reopenedAgain.DraftTimeSpentMs);

        await Queue.SubmitAsync(a, projectId, item, TestData.Label("negative"), 3000);
        var next = await Queue.NextAsync(a, projectId);
        Assert.Equal(items[1], next?.ItemId);
        Assert.Null(next!.Draft);
        var stored = Assert.Single(await AnnotationsAsync(projectId));
        Assert.Equal(AnnotationStatus.Submitted, stored.Status);
    }

    [SkippableFact]
    public async Task Progress_counts_items_complete_and_submitted()
    {
        var (lead, projectId, items, annotators) = await SetUpAsync(overlap: 2, items: 3, annotators: 2);
        var (a, b) = (annotators[0], annotators[1]);
        var projects = Db.Get<ProjectService>();
        Assert.Equal((3L, 0L, 0L), Counts((await projects.GetAsync(lead, projectId)).Summary));

        foreach (var item in items)
        {
            await Queue.SubmitAsync(a, projectId, item, TestData.Label("positive"), 10);
        }

        Assert.Equal((3L, 0L, 3L), Counts((await projects.GetAsync(lead, projectId)).Summary));
        await Queue.SubmitAsync(b, projectId, items[1], TestData.Label("positive"), 10);
        await Queue.SkipAsync(b, projectId, items[2]);

        Assert.Equal((3L, 1L, 4L), Counts((await projects.GetAsync(lead, projectId)).Summary));
        var mine = await Queue.ProgressAsync(b, projectId);
        Assert.Equal((1L, 1L, 3L, 1L), (mine.MySubmitted, mine.MySkipped, mine.ProjectItems, mine.ProjectComplete));

        static (long, long, long) Counts(ProjectSummary s) => (s.Items, s.ItemsComplete, s.Submitted);
    }

    [SkippableFact]
    public async Task Only_annotators_of_the_project_get_items()
    {
        var (lead, projectId, _, _) = await SetUpAsync(overlap: 1, items: 1, annotators: 1);
        var stranger = await Db.CreateUserAsync("stranger@test.local");

        var asLead = await Assert.ThrowsAsync<ServiceException>(() => Queue.NextAsync(lead, projectId));
        var asStranger = await Assert.ThrowsAsync<ServiceException>(() => Queue.NextAsync(stranger, projectId));

        Assert.Equal(ServiceErrorKind.Forbidden, asLead.Kind);
        Assert.Equal(ServiceErrorKind.NotFound, asStranger.Kind);
    }
}

public sealed class QueueServiceSqliteTests : QueueServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class QueueServicePostgresTests : QueueServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
