using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Data.Tests.Infrastructure;

namespace LabelBench.Data.Tests.Services;

public abstract class ProjectServiceTests : DatabaseTests
{
    private ProjectService Projects => Db.Get<ProjectService>();

    [SkippableFact]
    public async Task Create_with_a_valid_schema_makes_the_creator_its_lead()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");

        var id = await Projects.CreateAsync(lead, new ProjectDraft("Reviews", TestData.SentimentSchema, Overlap: 2, Guidelines: "Be kind"));

        var project = await Projects.GetAsync(lead, id);
        Assert.Equal("Reviews", project.Summary.Name);
        Assert.Equal(2, project.Summary.Overlap);
        Assert.Equal(1, project.Summary.SchemaVersion);
        Assert.Equal(["lead"], project.Summary.MyRoles);
        Assert.Equal("Be kind", project.Guidelines);
        var field = Assert.Single(project.Schema.Fields);
        Assert.Equal("sentiment", field.Name);
        Assert.Equal(["positive", "negative", "neutral"], field.Options.Select(o => o.Value));
    }

    [SkippableFact]
    public async Task Create_refuses_an_invalid_schema_naming_the_field_path()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        const string schema = """
            {"fields": [
              {"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "negative"]},
              {"name": "mood", "kind": "feelings", "source": "text"}
            ]}
            """;

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Projects.CreateAsync(lead, new ProjectDraft("Bad", schema)));

        Assert.Equal(ServiceErrorKind.Invalid, ex.Kind);
        var error = Assert.Single(ex.Errors);
        Assert.StartsWith("schema.fields[1]", error.Path, StringComparison.Ordinal);
        Assert.EndsWith(".kind", error.Path, StringComparison.Ordinal);
        Assert.Contains("feelings", error.Message, StringComparison.Ordinal);
        Assert.Contains("fields[1]", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await Projects.ListAsync(Caller.System));
    }

    [SkippableFact]
    public async Task Create_refuses_an_overlap_out_of_range()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Projects.CreateAsync(lead, new ProjectDraft("Zero", TestData.SentimentSchema, Overlap: 0)));

        Assert.Equal(ServiceErrorKind.Invalid, ex.Kind);
        Assert.Contains(ex.Errors, e => e.Path == "overlap");
    }

    [SkippableFact]
    public async Task List_shows_members_their_projects_and_admins_all()
    {
        var alice = await Db.CreateUserAsync("alice@test.local");
        var bob = await Db.CreateUserAsync("bob@test.local");
        var carol = await Db.CreateUserAsync("carol@test.local");
        var admin = await Db.CreateUserAsync("admin@test.local", admin: true);
        var a = await Db.CreateSentimentProjectAsync(alice, name: "Alpha");
        var b = await Db.CreateSentimentProjectAsync(bob, name: "Beta");
        await Db.AddMembersAsync(bob, b, ProjectRole.Annotator, carol);

        Assert.Equal([a], (await Projects.ListAsync(alice)).Select(p => p.Id));
        Assert.Equal([b], (await Projects.ListAsync(carol)).Select(p => p.Id));
        Assert.Equal(["annotator"], (await Projects.ListAsync(carol)).Single().MyRoles);
        Assert.Equal([a, b], (await Projects.ListAsync(admin)).Select(p => p.Id));
        Assert.Empty(await Projects.ListAsync(await Db.CreateUserAsync("dave@test.local")));
    }

    [SkippableFact]
    public async Task Get_by_a_non_member_is_not_found()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var stranger = await Db.CreateUserAsync("stranger@test.local");
        var id = await Db.CreateSentimentProjectAsync(lead);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Projects.GetAsync(stranger, id));

        Assert.Equal(ServiceErrorKind.NotFound, ex.Kind);
        // Same answer as for a project that does not exist: a stranger cannot probe ids.
        var missing = await Assert.ThrowsAsync<ServiceException>(() => Projects.GetAsync(stranger, id + 1000));
        Assert.Equal(ServiceErrorKind.NotFound, missing.Kind);
    }

    [SkippableFact]
    public async Task An_annotator_cannot_add_members()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var annotator = await Db.CreateUserAsync("annotator@test.local");
        var other = await Db.CreateUserAsync("other@test.local");
        var id = await Db.CreateSentimentProjectAsync(lead);
        await Db.AddMembersAsync(lead, id, ProjectRole.Annotator, annotator);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Projects.AddMemberAsync(annotator, id, "other@test.local", ProjectRole.Annotator));

        Assert.Equal(ServiceErrorKind.Forbidden, ex.Kind);
        Assert.Empty(await Projects.ListAsync(other));
    }

    [SkippableFact]
    public async Task Adding_an_unknown_email_is_invalid()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var id = await Db.CreateSentimentProjectAsync(lead);

        var ex = await Assert.ThrowsAsync<ServiceException>(() => Projects.AddMemberAsync(lead, id, "nobody@test.local", ProjectRole.Annotator));

        Assert.Equal(ServiceErrorKind.Invalid, ex.Kind);
        Assert.Contains("nobody@test.local", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Errors, e => e.Path == "email");
    }

    [SkippableFact]
    public async Task Members_are_listed_with_their_roles()
    {
        var lead = await Db.CreateUserAsync("lead@test.local");
        var ann = await Db.CreateUserAsync("ann@test.local");
        var rev = await Db.CreateUserAsync("rev@test.local");
        var id = await Db.CreateSentimentProjectAsync(lead);
        await Projects.AddMemberAsync(lead, id, "ANN@test.local", ProjectRole.Annotator);
        await Projects.AddMemberAsync(lead, id, "rev@test.local", ProjectRole.Reviewer);
        await Projects.AddMemberAsync(lead, id, "rev@test.local", ProjectRole.Annotator);
        await Projects.AddMemberAsync(lead, id, "rev@test.local", ProjectRole.Annotator); // twice: still one membership

        var members = await Projects.MembersAsync(lead, id);

        Assert.Equal(
            [("ann@test.local", "annotator"), ("lead@test.local", "lead"), ("rev@test.local", "annotator,reviewer")],
            members.Select(m => (m.Email, string.Join(",", m.Roles))));
        Assert.Equal(["annotator", "reviewer"], (await Projects.GetAsync(rev, id)).Summary.MyRoles);
        Assert.Equal(["annotator"], (await Projects.GetAsync(ann, id)).Summary.MyRoles);
        var forbidden = await Assert.ThrowsAsync<ServiceException>(() => Projects.MembersAsync(ann, id));
        Assert.Equal(ServiceErrorKind.Forbidden, forbidden.Kind);
    }
}

public sealed class ProjectServiceSqliteTests : ProjectServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ProjectServicePostgresTests : ProjectServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
