using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Services;

public abstract class AuditServiceTests : DatabaseTests
{
    private AuditService Audit => Db.Get<AuditService>();

    /// <summary>A project with members, an import and submissions: about ten audit events.</summary>
    private async Task<(Caller Lead, long ProjectId, long Events)> SomeHistoryAsync()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var projectId = await Db.CreateSentimentProjectAsync(lead, overlap: 2);
        var items = await Db.ImportReviewsAsync(lead, projectId, 3);
        var annotators = await Db.CreateAnnotatorsAsync(lead, projectId, 2);
        var queue = Db.Get<QueueService>();
        foreach (var annotator in annotators)
        {
            Db.Time.Advance(TimeSpan.FromSeconds(7));
            await queue.SubmitAsync(annotator, projectId, items[0], TestData.Label("positive"), 10);
        }

        await queue.SkipAsync(annotators[0], projectId, items[1]);
        await Db.Get<TokenService>().CreateAsync(lead.UserId, "ci");
        await using var ctx = await Db.ContextAsync();
        return (lead, projectId, await ctx.AuditEvents.LongCountAsync());
    }

    private async Task<int> SqlAsync(string sql, params object[] parameters)
    {
        await using var ctx = await Db.ContextAsync();
        return await ctx.Database.ExecuteSqlRawAsync(sql, parameters);
    }

    [SkippableFact]
    public async Task The_chain_verifies_after_ordinary_work()
    {
        var (lead, projectId, events) = await SomeHistoryAsync();

        var result = await Audit.VerifyAsync(Caller.System, null);
        var forProject = await Audit.VerifyAsync(lead, projectId);

        Assert.True(result.Ok, result.Problem);
        Assert.True(events >= 10, $"only {events} events were written");
        Assert.Equal(events, result.Events);
        Assert.Null(result.BrokenSequence);
        Assert.True(forProject.Ok);
        Assert.True(forProject.ProjectEvents >= 6);
        await using var ctx = await Db.ContextAsync();
        var actions = await ctx.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Contains("project.created", actions);
        Assert.Contains("import.completed", actions);
        Assert.Contains("annotation.submitted", actions);
        Assert.Contains("annotation.skipped", actions);
    }

    [SkippableFact]
    public async Task Editing_an_event_breaks_the_chain_at_that_event()
    {
        await SomeHistoryAsync();
        await using (var ctx = await Db.ContextAsync())
        {
            Assert.Equal(5, await ctx.AuditEvents.Where(e => e.Sequence == 5).Select(e => e.Sequence).SingleAsync());
        }

        var changed = await SqlAsync("UPDATE \"AuditEvents\" SET \"AfterJson\" = {0} WHERE \"Sequence\" = {1}", "{\"result\":{\"sentiment\":\"negative\"}}", 5L);

        Assert.Equal(1, changed);
        var result = await Audit.VerifyAsync(Caller.System, null);
        Assert.False(result.Ok);
        Assert.Equal(5, result.BrokenSequence);
        Assert.Contains("event 5", result.Problem, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Deleting_the_newest_event_is_noticed()
    {
        var (_, _, events) = await SomeHistoryAsync();

        Assert.Equal(1, await SqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = {0}", events));

        var result = await Audit.VerifyAsync(Caller.System, null);
        Assert.False(result.Ok);
        Assert.Equal(events, result.BrokenSequence);
        Assert.Contains("deleted", result.Problem, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Deleting_an_event_in_the_middle_names_the_missing_sequence()
    {
        var (_, _, events) = await SomeHistoryAsync();
        var middle = events / 2;

        Assert.Equal(1, await SqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = {0}", middle));

        var result = await Audit.VerifyAsync(Caller.System, null);
        Assert.False(result.Ok);
        Assert.Equal(middle, result.BrokenSequence);
        Assert.Contains($"event {middle} is missing", result.Problem, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Only_admins_verify_the_whole_trail_and_annotators_no_project_trail()
    {
        var (lead, projectId, _) = await SomeHistoryAsync();
        var annotator = await Db.CreateUserAsync("annotator@test.local");
        await Db.AddMembersAsync(lead, projectId, ProjectRole.Annotator, annotator);

        var whole = await Assert.ThrowsAsync<ServiceException>(() => Audit.VerifyAsync(lead, null));
        var project = await Assert.ThrowsAsync<ServiceException>(() => Audit.VerifyAsync(annotator, projectId));

        Assert.Equal(ServiceErrorKind.Forbidden, whole.Kind);
        Assert.Equal(ServiceErrorKind.Forbidden, project.Kind);
    }
}

public sealed class AuditServiceSqliteTests : AuditServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class AuditServicePostgresTests : AuditServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
