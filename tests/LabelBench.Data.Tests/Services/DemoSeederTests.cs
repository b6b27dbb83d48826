using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Tests.Services;

public abstract class DemoSeederTests : DatabaseTests
{
    [SkippableFact]
    public async Task Seeding_the_samples_creates_the_five_demo_projects_with_their_items()
    {
        var admin = await Db.CreateUserAsync("admin@test.local", admin: true);

        var ids = await Db.Get<DemoSeeder>().SeedAsync(admin, TestData.SamplesDir);

        Assert.Equal(5, ids.Count);
        var projects = (await Db.Get<ProjectService>().ListAsync(admin)).ToDictionary(p => p.Name);
        Assert.Equal(
            ["Demo: audio segments", "Demo: named entities", "Demo: object boxes", "Demo: response preference", "Demo: review sentiment"],
            projects.Keys.Order(StringComparer.Ordinal));
        var reviews = projects["Demo: review sentiment"];
        Assert.Equal((62L, 2), (reviews.Items, reviews.Overlap));
        Assert.Equal(30, projects["Demo: named entities"].Items);
        Assert.Equal("uncertainty", projects["Demo: named entities"].QueueOrder);
        Assert.Equal(20, projects["Demo: response preference"].Items);

        // The image and audio demos arrive as a zip of a manifest and media files, as a user would upload them.
        Assert.Equal(12, projects["Demo: object boxes"].Items);
        Assert.Equal(6, projects["Demo: audio segments"].Items);

        // The seeding admin holds every role in its demos, so the demos can be tried at once.
        var members = await Db.Get<ProjectService>().MembersAsync(admin, reviews.Id);
        Assert.Equal(["annotator", "lead", "reviewer"], Assert.Single(members).Roles);
        await using var ctx = await Db.ContextAsync();
        Assert.Equal(10, await ctx.Predictions.CountAsync(p => p.ProjectId == projects["Demo: named entities"].Id));
        Assert.True((await Db.Get<AuditService>().VerifyAsync(Caller.System, null)).Ok);
    }

    [SkippableFact]
    public async Task A_missing_samples_folder_seeds_nothing()
    {
        var admin = await Db.CreateUserAsync("admin@test.local", admin: true);

        var ids = await Db.Get<DemoSeeder>().SeedAsync(admin, Path.Combine(Db.DataDir, "no-samples-here"));

        Assert.Empty(ids);
        Assert.Empty(await Db.Get<ProjectService>().ListAsync(admin));
    }
}

public sealed class DemoSeederSqliteTests : DemoSeederTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class DemoSeederPostgresTests : DemoSeederTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
