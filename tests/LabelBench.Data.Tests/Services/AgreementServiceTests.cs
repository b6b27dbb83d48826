using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;

namespace LabelBench.Data.Tests.Services;

/// <summary>The agreement dashboard's figures: who may see them, and how they stay quick to open while annotators work.</summary>
public abstract class AgreementServiceTests : DatabaseTests
{
    private AgreementService Agreement => Db.Get<AgreementService>();

    private QueueService Queue => Db.Get<QueueService>();

    /// <summary>Three annotators on six items: they agree on the first three and split on the rest.</summary>
    private async Task<(Caller Lead, Caller[] Annotators, long ProjectId, IReadOnlyList<long> Items)> LabelledProjectAsync()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projectId = await Db.CreateSentimentProjectAsync(lead, overlap: 3);
        var items = await Db.ImportReviewsAsync(lead, projectId, 8);
        var annotators = await Db.CreateAnnotatorsAsync(lead, projectId, 3);
        string[][] labels =
        [
            ["positive", "positive", "positive"], ["negative", "negative", "negative"], ["neutral", "neutral", "neutral"],
            ["positive", "negative", "positive"], ["neutral", "negative", "negative"], ["positive", "neutral", "negative"],
        ];
        for (var i = 0; i < labels.Length; i++)
        {
            for (var a = 0; a < 3; a++)
            {
                await Queue.SubmitAsync(annotators[a], projectId, items[i], TestData.Label(labels[i][a]), 1000);
            }
        }

        return (lead, annotators, projectId, items);
    }

    [SkippableFact]
    public async Task The_first_open_computes_and_the_next_opens_reuse_the_figures()
    {
        var (lead, _, projectId, _) = await LabelledProjectAsync();

        var first = await Agreement.DashboardAsync(lead, projectId, null);
        var again = await Agreement.DashboardAsync(lead, projectId, null);

        Assert.False(first.Stale);
        Assert.Equal(18, first.SubmittedAtComputation);
        var dashboard = Assert.IsType<Core.Agreement.AgreementDashboard>(first.Dashboard);
        Assert.Equal((6, 3, 18), (dashboard.Items, dashboard.Annotators, dashboard.Judgements));
        Assert.Same(first, again);
    }

    [SkippableFact]
    public async Task After_new_submissions_the_last_figures_come_at_once_marked_stale_then_fresh_ones_replace_them()
    {
        var (lead, annotators, projectId, items) = await LabelledProjectAsync();
        var before = await Agreement.DashboardAsync(lead, projectId, null);

        for (var a = 0; a < 3; a++)
        {
            await Queue.SubmitAsync(annotators[a], projectId, items[6], TestData.Label("neutral"), 1000);
        }

        var stale = await Agreement.DashboardAsync(lead, projectId, null);
        Assert.True(stale.Stale);
        Assert.Equal(before.Dashboard!.Judgements, stale.Dashboard!.Judgements);
        Assert.Equal(18, stale.SubmittedAtComputation);

        var refreshing = Agreement.RefreshingAsync(projectId, null);
        var refreshed = refreshing is null ? await Agreement.DashboardAsync(lead, projectId, null) : await refreshing;
        Assert.Equal(21, refreshed.SubmittedAtComputation);
        Assert.Equal(21, refreshed.Dashboard!.Judgements);

        var current = await Agreement.DashboardAsync(lead, projectId, null);
        Assert.False(current.Stale);
        Assert.Equal(21, current.Dashboard!.Judgements);
    }

    [SkippableFact]
    public async Task Fresh_waits_for_figures_that_count_every_submission()
    {
        var (lead, annotators, projectId, items) = await LabelledProjectAsync();
        await Agreement.DashboardAsync(lead, projectId, null);
        for (var a = 0; a < 3; a++)
        {
            await Queue.SubmitAsync(annotators[a], projectId, items[7], TestData.Label("positive"), 1000);
        }

        var fresh = await Agreement.DashboardAsync(lead, projectId, null, fresh: true);

        Assert.False(fresh.Stale);
        Assert.Equal(21, fresh.Dashboard!.Judgements);
    }

    [SkippableFact]
    public async Task Annotators_and_strangers_cannot_see_the_figures()
    {
        var (_, annotators, projectId, _) = await LabelledProjectAsync();
        var stranger = await Db.CreateUserAsync("stranger@test.local");

        var annotator = await Assert.ThrowsAsync<ServiceException>(() => Agreement.DashboardAsync(annotators[0], projectId, null));
        var outsider = await Assert.ThrowsAsync<ServiceException>(() => Agreement.DashboardAsync(stranger, projectId, null));

        Assert.Equal(ServiceErrorKind.Forbidden, annotator.Kind);
        Assert.Equal(ServiceErrorKind.NotFound, outsider.Kind);
    }
}

public sealed class AgreementServiceSqliteTests : AgreementServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class AgreementServicePostgresTests : AgreementServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class AgreementLabelReadingTests
{
    [Fact]
    public void Labels_are_read_from_stored_results_like_the_general_json_path()
    {
        Assert.Equal("positive", AgreementService.LabelOf("""{"note":{"a":[1,2]},"sentiment":"positive"}""", "sentiment"));
        Assert.Equal("a|b", AgreementService.LabelOf("""{"tags":["b","a"]}""", "tags"));
        Assert.Equal("4", AgreementService.LabelOf("""{"stars":4}""", "stars"));
        Assert.Null(AgreementService.LabelOf("""{"sentiment":""}""", "sentiment"));
        Assert.Null(AgreementService.LabelOf("""{"tags":[]}""", "tags"));
        Assert.Null(AgreementService.LabelOf("""{"other":"x"}""", "sentiment"));
    }
}
