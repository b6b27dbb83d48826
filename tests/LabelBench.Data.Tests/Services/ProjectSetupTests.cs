using System.Text;
using System.Text.Json.Nodes;
using LabelBench.Cli;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LabelBench.Data.Tests.Services;

/// <summary>
/// A project lead's setup work through <see cref="ProjectService"/>: schema versions and migrations, settings,
/// privacy, members, progress, archive and delete. Runs on SQLite, and on PostgreSQL when
/// <c>LABELBENCH_TEST_POSTGRES</c> names a server (CI sets it).
/// </summary>
public sealed class ProjectSetupTests
{
    private const string SentimentSchema = """
        {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "required": true,
          "options": [{"value": "pos", "hotkey": "1"}, {"value": "neg", "hotkey": "2"}, {"value": "neutral", "hotkey": "3"}]}]}
        """;

    public static TheoryData<string> Providers()
    {
        var data = new TheoryData<string> { "sqlite" };
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SetupDatabase.PostgresVariable)))
        {
            data.Add("postgres");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_schema_change_makes_a_new_version_and_annotations_keep_theirs(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, annotators, projectId) = await db.ProjectWithAnnotationsAsync(SentimentSchema, overlap: 1, "pos");
        var projects = db.Get<ProjectService>();

        var result = await projects.UpdateSchemaAsync(lead, projectId, SentimentSchema.Replace("\"neutral\", \"hotkey\": \"3\"}", "\"neutral\", \"hotkey\": \"3\"}, {\"value\": \"mixed\"}", StringComparison.Ordinal));
        var unchanged = await projects.UpdateSchemaAsync(lead, projectId, SentimentSchema.Replace("\"neutral\", \"hotkey\": \"3\"}", "\"neutral\", \"hotkey\": \"3\"}, {\"value\": \"mixed\"}", StringComparison.Ordinal));

        Assert.Equal(2, result.Version);
        Assert.True(result.Changed);
        Assert.False(unchanged.Changed);
        await using var ctx = await db.ContextAsync();
        Assert.Equal([1, 2], await ctx.SchemaVersions.Where(s => s.ProjectId == projectId).OrderBy(s => s.Version).Select(s => s.Version).ToListAsync());
        Assert.Equal(1, await ctx.Annotations.Where(a => a.ProjectId == projectId).Select(a => a.SchemaVersion).SingleAsync());
        var details = await projects.GetAsync(annotators[0], projectId);
        Assert.Equal(2, details.Summary.SchemaVersion);
        Assert.NotNull(details.Schema.FindField("sentiment")!.FindOption("mixed"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Removing_a_label_in_use_is_refused_with_the_number_of_annotations(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, _, projectId) = await db.ProjectWithAnnotationsAsync(SentimentSchema, overlap: 1, "neutral", "neutral", "pos");
        var projects = db.Get<ProjectService>();
        var withoutNeutral = """{"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["pos", "neg"]}]}""";

        var refused = await Assert.ThrowsAsync<ServiceException>(() => projects.UpdateSchemaAsync(lead, projectId, withoutNeutral));
        var preview = await projects.PreviewSchemaChangeAsync(lead, projectId, withoutNeutral);

        Assert.Equal(ServiceErrorKind.Conflict, refused.Kind);
        Assert.Contains("orphan 2 annotations", refused.Message, StringComparison.Ordinal);
        Assert.Contains("label \"neutral\" is removed from \"sentiment\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, preview.AffectedAnnotations);
        var impact = Assert.Single(preview.Report.Impacts);
        Assert.Equal(("neutral", 2, false), (impact.Label, impact.Annotations, impact.Resolved));
        Assert.Equal(1, (await projects.GetAsync(lead, projectId)).Summary.SchemaVersion);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Removing_a_field_in_use_counts_each_annotation_once(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var schema = """
            {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["pos", "neg", "neutral"]},
                        {"name": "notes", "kind": "text", "source": "text"}]}
            """;
        var (lead, annotators, projectId) = await db.ProjectWithItemsAsync(schema, overlap: 1, items: 2, annotators: 1);
        var queue = db.Get<QueueService>();
        foreach (var result in new[] { """{"sentiment": "neutral", "notes": "odd"}""", """{"sentiment": "neutral"}""" })
        {
            var next = (await queue.NextAsync(annotators[0], projectId))!;
            await queue.SubmitAsync(annotators[0], projectId, next.ItemId, JsonNode.Parse(result), 1000);
        }

        var refused = await Assert.ThrowsAsync<ServiceException>(() => db.Get<ProjectService>().UpdateSchemaAsync(lead, projectId,
            """{"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["pos", "neg"]}]}"""));

        Assert.Contains("orphan 2 annotations", refused.Message, StringComparison.Ordinal);
        Assert.Contains("field \"notes\" is removed but 1 annotation fills it", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Rename_and_merge_migrations_rewrite_annotations_and_are_audited(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, _, projectId) = await db.ProjectWithAnnotationsAsync(SentimentSchema, overlap: 1, "pos", "neg", "neutral", "pos");
        var projects = db.Get<ProjectService>();
        var newSchema = """
            {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "required": true,
              "options": [{"value": "positive"}, {"value": "neg"}]}]}
            """;
        IReadOnlyList<SchemaMigration> migrations = [new RenameLabel("sentiment", "pos", "positive"), new MergeLabels("sentiment", ["neutral"], "neg")];

        var preview = await projects.PreviewSchemaChangeAsync(lead, projectId, newSchema, migrations);
        var result = await projects.UpdateSchemaAsync(lead, projectId, newSchema, migrations);

        Assert.True(preview.Report.CanApply);
        Assert.Equal(0, preview.AffectedAnnotations);
        Assert.Equal(2, result.Version);
        Assert.Equal(3, result.Migrated);
        await using var ctx = await db.ContextAsync();
        var stored = await ctx.Annotations.Where(a => a.ProjectId == projectId).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["positive", "neg", "neg", "positive"], stored.Select(a => JsonNode.Parse(a.ResultJson)!["sentiment"]!.GetValue<string>()));
        Assert.Equal([2, 1, 2, 2], stored.Select(a => a.SchemaVersion));
        var migratedEvents = await ctx.AuditEvents.Where(e => e.ProjectId == projectId && e.Action == "annotation.migrated").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(3, migratedEvents.Count);
        Assert.Contains("\"pos\"", migratedEvents[0].BeforeJson, StringComparison.Ordinal);
        Assert.Contains("\"positive\"", migratedEvents[0].AfterJson, StringComparison.Ordinal);
        var schemaEvent = await ctx.AuditEvents.SingleAsync(e => e.ProjectId == projectId && e.Action == "schema.updated");
        Assert.Contains("\"kind\":\"rename\"", schemaEvent.AfterJson, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"merge\"", schemaEvent.AfterJson, StringComparison.Ordinal);
        Assert.True((await db.Get<AuditService>().VerifyAsync(Caller.System, projectId)).Ok);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Invalid_schemas_and_migrations_are_refused_naming_the_field(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, _, projectId) = await db.ProjectWithAnnotationsAsync(SentimentSchema, overlap: 1, "pos");
        var projects = db.Get<ProjectService>();

        var duplicate = await Assert.ThrowsAsync<ServiceException>(() => projects.UpdateSchemaAsync(lead, projectId,
            """{"fields": [{"name": "s", "kind": "choices", "source": "text", "options": ["a", "a"]}]}"""));
        var pairwise = await Assert.ThrowsAsync<ServiceException>(() => projects.UpdateSchemaAsync(lead, projectId,
            """{"fields": [{"name": "pref", "kind": "pairwise", "responses": ["a"]}]}"""));
        var badMigration = await Assert.ThrowsAsync<ServiceException>(() => projects.UpdateSchemaAsync(lead, projectId,
            """{"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["pos", "neg"]}]}""",
            [new RenameLabel("sentiment", "neutral", "nonexistent")]));

        Assert.Equal(ServiceErrorKind.Invalid, duplicate.Kind);
        Assert.Contains(duplicate.Errors, e => e.Path.Contains("\"s\".options[1].value", StringComparison.Ordinal) && e.Message.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(pairwise.Errors, e => e.Path.Contains("\"pref\".responses", StringComparison.Ordinal) && e.Message.Contains("exactly two", StringComparison.Ordinal));
        Assert.Equal(ServiceErrorKind.Invalid, badMigration.Kind);
        Assert.Contains("migrations[0]", badMigration.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_source_key_no_item_has_is_a_warning_not_an_error(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, _, projectId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 1, items: 1, annotators: 0);

        var result = await db.Get<ProjectService>().UpdateSchemaAsync(lead, projectId,
            """{"fields": [{"name": "sentiment", "kind": "choices", "source": "body", "options": ["pos", "neg"]}]}""");
        var context = await db.Get<ProjectService>().DesignContextAsync(lead, projectId);

        Assert.Equal(2, result.Version);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("no item has the data key \"body\"", warning.Message, StringComparison.Ordinal);
        Assert.Equal(["text"], context.DataKeys);
        Assert.Equal("item 0 is good", context.SampleData!["text"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Only_leads_and_admins_change_schema_settings_and_members(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, annotators, projectId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 1, items: 1, annotators: 1);
        var projects = db.Get<ProjectService>();
        var annotator = annotators[0];
        var admin = await db.CreateUserAsync("root@example.org", admin: true);

        Assert.Equal(ServiceErrorKind.Forbidden, (await Assert.ThrowsAsync<ServiceException>(() => projects.UpdateSchemaAsync(annotator, projectId, SentimentSchema))).Kind);
        Assert.Equal(ServiceErrorKind.Forbidden, (await Assert.ThrowsAsync<ServiceException>(() => projects.UpdateSettingsAsync(annotator, projectId, new ProjectSettingsUpdate { Overlap = 2 }))).Kind);
        Assert.Equal(ServiceErrorKind.Forbidden, (await Assert.ThrowsAsync<ServiceException>(() => projects.RemoveMemberAsync(annotator, projectId, lead.UserId))).Kind);
        Assert.Equal(ServiceErrorKind.Forbidden, (await Assert.ThrowsAsync<ServiceException>(() => projects.ArchiveAsync(annotator, projectId))).Kind);
        Assert.Equal(ServiceErrorKind.Forbidden, (await Assert.ThrowsAsync<ServiceException>(() => projects.DeleteAsync(annotator, projectId, "p"))).Kind);
        var stranger = await db.CreateUserAsync("stranger@example.org");
        Assert.Equal(ServiceErrorKind.NotFound, (await Assert.ThrowsAsync<ServiceException>(() => projects.UpdateSettingsAsync(stranger, projectId, new ProjectSettingsUpdate { Overlap = 2 }))).Kind);

        var settings = await projects.UpdateSettingsAsync(admin, projectId, new ProjectSettingsUpdate { LeaseMinutes = 45, AgreementRule = "unanimous" });
        Assert.Equal((45, "unanimous"), (settings.LeaseMinutes, settings.AgreementRule));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Changing_the_overlap_reopens_items_and_recounts_progress(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, annotators, projectId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 2, items: 3, annotators: 2);
        var queue = db.Get<QueueService>();
        var projects = db.Get<ProjectService>();
        // Item 1: two agreeing annotations (complete, final). Item 2: two disagreeing (complete, in review). Item 3: one annotation.
        await db.SubmitAsync(annotators[0], projectId, "pos");
        await db.SubmitAsync(annotators[1], projectId, "pos");
        await db.SubmitAsync(annotators[0], projectId, "pos");
        await db.SubmitAsync(annotators[1], projectId, "neg");
        await db.SubmitAsync(annotators[0], projectId, "neg");

        var atTwo = (await projects.GetAsync(lead, projectId)).Summary;
        Assert.Equal((2L, 1L, 1L), (atTwo.ItemsComplete, atTwo.ItemsFinal, atTwo.ItemsInReview));

        var settings = await projects.UpdateSettingsAsync(lead, projectId, new ProjectSettingsUpdate { Overlap = 1 });
        var atOne = (await projects.GetAsync(lead, projectId)).Summary;
        Assert.Equal(1, settings.Overlap);
        Assert.Equal((3L, 2L, 1L), (atOne.ItemsComplete, atOne.ItemsFinal, atOne.ItemsInReview));
        Assert.Null(await queue.NextAsync(annotators[1], projectId));

        await projects.UpdateSettingsAsync(lead, projectId, new ProjectSettingsUpdate { Overlap = 3 });
        var atThree = (await projects.GetAsync(lead, projectId)).Summary;
        Assert.Equal((0L, 0L, 0L), (atThree.ItemsComplete, atThree.ItemsFinal, atThree.ItemsInReview));
        await using (var ctx = await db.ContextAsync())
        {
            Assert.Equal(3, await ctx.Items.CountAsync(i => i.ProjectId == projectId && i.Open));
        }

        var third = await db.CreateUserAsync("third@example.org");
        await projects.AddMemberByIdAsync(lead, projectId, third.UserId, ProjectRole.Annotator);
        await db.SubmitAsync(third, projectId, "pos");
        var afterThird = (await projects.GetAsync(lead, projectId)).Summary;
        Assert.Equal((1L, 1L), (afterThird.ItemsComplete, afterThird.ItemsFinal));

        var rule = await projects.UpdateSettingsAsync(lead, projectId, new ProjectSettingsUpdate { AgreementRule = "unanimous", Overlap = 2 });
        var unanimous = (await projects.GetAsync(lead, projectId)).Summary;
        Assert.Equal("unanimous", rule.AgreementRule);
        Assert.Equal((2L, 1L, 1L), (unanimous.ItemsComplete, unanimous.ItemsFinal, unanimous.ItemsInReview));
        await using var audit = await db.ContextAsync();
        var changes = await audit.AuditEvents.Where(e => e.ProjectId == projectId && e.Action == "project.settings.updated").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(3, changes.Count);
        Assert.Equal("""{"overlap":2}""", changes[0].BeforeJson);
        Assert.Equal("""{"overlap":1}""", changes[0].AfterJson);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Settings_are_validated_by_name(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, _, projectId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 1, items: 1, annotators: 0);

        var refused = await Assert.ThrowsAsync<ServiceException>(() => db.Get<ProjectService>().UpdateSettingsAsync(lead, projectId, new ProjectSettingsUpdate
        {
            Overlap = 0,
            QueueOrder = "fifo",
            LeaseMinutes = 0,
            AgreementRule = "plurality",
            HiddenDataKeys = ["text"],
            Name = " ",
        }));

        Assert.Equal(ServiceErrorKind.Invalid, refused.Kind);
        Assert.Equal(["agreementRule", "hiddenDataKeys", "leaseMinutes", "name", "overlap", "queueOrder"], refused.Errors.Select(e => e.Path).Order());
        Assert.Contains(refused.Errors, e => e.Message.Contains("the field \"sentiment\" shows it", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Hidden_keys_and_masked_text_never_reach_annotators(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var schema = """{"fields": [{"name": "entities", "kind": "spans", "source": "text", "labels": ["PER"]}, {"name": "note", "kind": "text", "source": "summary"}]}""";
        var (lead, annotators, projectId) = await db.ProjectWithItemsAsync(schema, overlap: 2, items: 0, annotators: 1);
        await db.ImportAsync(lead, projectId, """{"id": "a", "data": {"text": "Mail ann@example.org now", "summary": "call +49 30 1234567", "customer": "ACME-42"}}""");
        var projects = db.Get<ProjectService>();
        await projects.UpdateSettingsAsync(lead, projectId, new ProjectSettingsUpdate { HiddenDataKeys = ["customer"], MaskPii = true });
        await projects.AddMemberByIdAsync(lead, projectId, lead.UserId, ProjectRole.Annotator);
        var queue = db.Get<QueueService>();

        var seen = (await queue.NextAsync(annotators[0], projectId))!.Data;
        var leadSees = (await queue.NextAsync(lead, projectId))!.Data;

        Assert.False(seen.ContainsKey("customer"));
        Assert.Equal("Mail [email]•••••••• now", seen["text"]!.GetValue<string>());
        Assert.Equal("Mail ann@example.org now".Length, seen["text"]!.GetValue<string>().Length);
        Assert.Equal("call [phone]", seen["summary"]!.GetValue<string>());
        Assert.Equal("ACME-42", leadSees["customer"]!.GetValue<string>());
        Assert.Equal("Mail ann@example.org now", leadSees["text"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Exports_say_whether_they_name_annotators(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, annotators, projectId) = await db.ProjectWithAnnotationsAsync(SentimentSchema, overlap: 1, "pos");
        var export = db.Get<ExportService>();
        var request = ExportRequest.Parse("jsonl", "all");

        var pseudonymous = await export.PrepareAsync(lead, projectId, request);
        var first = await db.ExportTextAsync(lead, projectId);
        await db.Get<ProjectService>().UpdateSettingsAsync(lead, projectId, new ProjectSettingsUpdate { AnnotatorsPseudonymised = false });
        var named = await export.PrepareAsync(lead, projectId, request);
        var second = await db.ExportTextAsync(lead, projectId);

        Assert.True(pseudonymous.AnnotatorsPseudonymised);
        Assert.Contains("annotator-", first, StringComparison.Ordinal);
        Assert.DoesNotContain("annotator0@example.org", first, StringComparison.Ordinal);
        Assert.False(named.AnnotatorsPseudonymised);
        Assert.Contains("annotator0@example.org", second, StringComparison.Ordinal);
        _ = annotators;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Members_hold_several_roles_lose_them_and_a_project_keeps_a_lead(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, annotators, projectId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 1, items: 2, annotators: 1);
        var projects = db.Get<ProjectService>();
        var queue = db.Get<QueueService>();
        var annotator = annotators[0];
        var leased = (await queue.NextAsync(annotator, projectId))!;

        await projects.SetRolesAsync(lead, projectId, annotator.UserId, [ProjectRole.Annotator, ProjectRole.Reviewer]);
        Assert.Equal(["annotator", "reviewer"], (await projects.MembersAsync(lead, projectId)).Single(m => m.UserId == annotator.UserId).Roles);

        var onlyLead = await Assert.ThrowsAsync<ServiceException>(() => projects.RemoveMemberAsync(lead, projectId, lead.UserId));
        Assert.Equal(ServiceErrorKind.Conflict, onlyLead.Kind);
        Assert.Contains("only lead", onlyLead.Message, StringComparison.Ordinal);

        await projects.RemoveMemberAsync(lead, projectId, annotator.UserId);
        Assert.DoesNotContain(await projects.MembersAsync(lead, projectId), m => m.UserId == annotator.UserId);
        Assert.Equal(ServiceErrorKind.NotFound, (await Assert.ThrowsAsync<ServiceException>(() => queue.NextAsync(annotator, projectId))).Kind);
        await using var ctx = await db.ContextAsync();
        var item = await ctx.Items.SingleAsync(i => i.Id == leased.ItemId);
        Assert.Equal((0, true), (item.AssignedCount, item.Open));
        Assert.Equal(["member.roles.changed", "member.removed"],
            await ctx.AuditEvents.Where(e => e.ProjectId == projectId && e.EntityId == annotator.UserId && e.Action != "member.added").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stats_give_throughput_per_day_medians_and_each_members_work(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, annotators, projectId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 1, items: 5, annotators: 2);
        db.Time.Now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        await db.SubmitAsync(annotators[0], projectId, "pos", timeMs: 1000);
        await db.SubmitAsync(annotators[0], projectId, "neg", timeMs: 3000);
        db.Time.Now = db.Time.Now.AddDays(1);
        await db.SubmitAsync(annotators[0], projectId, "pos", timeMs: 8000);
        await db.SubmitAsync(annotators[1], projectId, "pos", timeMs: 2000);
        await db.Get<QueueService>().SkipAsync(annotators[1], projectId, (await db.Get<QueueService>().NextAsync(annotators[1], projectId))!.ItemId);

        var stats = await db.Get<ProjectService>().StatsAsync(lead, projectId, days: 3);
        var annotatorView = await db.Get<ProjectService>().StatsAsync(annotators[0], projectId, days: 3);

        Assert.Equal([new DailyCount(new DateOnly(2026, 3, 9), 0), new DailyCount(new DateOnly(2026, 3, 10), 2), new DailyCount(new DateOnly(2026, 3, 11), 2)], stats.Throughput);
        Assert.Equal(2500, stats.MedianTimeMs);
        Assert.Equal((5L, 4L, 4L, 4L), (stats.Items, stats.Complete, stats.Final, stats.Submitted));
        var first = stats.Members!.Single(m => m.UserId == annotators[0].UserId);
        var second = stats.Members!.Single(m => m.UserId == annotators[1].UserId);
        Assert.Equal((3L, 0L, 3000.0), (first.Submitted, first.Skipped, first.MedianTimeMs!.Value));
        Assert.Equal((1L, 1L, 2000.0), (second.Submitted, second.Skipped, second.MedianTimeMs!.Value));
        Assert.Null(stats.Members!.Single(m => m.UserId == lead.UserId).MedianTimeMs);
        Assert.Null(annotatorView.Members);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Archived_projects_leave_the_list_and_hand_out_no_work(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, annotators, projectId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 1, items: 2, annotators: 1);
        var projects = db.Get<ProjectService>();

        await projects.ArchiveAsync(lead, projectId);

        Assert.Empty(await projects.ListAsync(annotators[0]));
        Assert.Single(await projects.ListAsync(lead, includeArchived: true));
        Assert.Null(await db.Get<QueueService>().NextAsync(annotators[0], projectId));
        Assert.NotNull((await projects.GetAsync(lead, projectId)).Summary.ArchivedAt);

        await projects.ArchiveAsync(lead, projectId, archived: false);
        Assert.NotNull(await db.Get<QueueService>().NextAsync(annotators[0], projectId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Delete_needs_the_exact_name_and_removes_only_unshared_media(string provider)
    {
        await using var db = await SetupDatabase.CreateAsync(provider);
        var (lead, _, projectId) = await db.ProjectWithAnnotationsAsync(SentimentSchema, overlap: 1, "pos", "neg");
        var (_, _, otherId) = await db.ProjectWithItemsAsync(SentimentSchema, overlap: 1, items: 1, annotators: 0, leadEmail: "other-lead@example.org");
        var shared = new string('a', 64);
        var own = new string('b', 64);
        var mediaDir = Path.Combine(db.DataDir, "media");
        await using (var ctx = await db.ContextAsync())
        {
            var items = await ctx.Items.Where(i => i.ProjectId == projectId).OrderBy(i => i.Id).ToListAsync();
            items[0].MediaHash = shared;
            items[1].MediaHash = own;
            (await ctx.Items.FirstAsync(i => i.ProjectId == otherId)).MediaHash = shared;
            foreach (var hash in new[] { shared, own })
            {
                ctx.MediaObjects.Add(new MediaObject { Hash = hash, ContentType = "image/png", Size = 3 });
                Directory.CreateDirectory(Path.GetDirectoryName(MediaStorePaths.For(mediaDir, hash))!);
                await File.WriteAllBytesAsync(MediaStorePaths.For(mediaDir, hash), [1, 2, 3]);
            }

            await ctx.SaveChangesAsync();
        }

        var projects = db.Get<ProjectService>();
        var wrong = await Assert.ThrowsAsync<ServiceException>(() => projects.DeleteAsync(lead, projectId, "project"));
        var deletion = await projects.DeleteAsync(lead, projectId, "Project setup");

        Assert.Equal(ServiceErrorKind.Invalid, wrong.Kind);
        Assert.Contains("Project setup", wrong.Message, StringComparison.Ordinal);
        Assert.Equal((2L, 2L, 1), (deletion.Items, deletion.Annotations, deletion.MediaFiles));
        Assert.True(File.Exists(MediaStorePaths.For(mediaDir, shared)));
        Assert.False(File.Exists(MediaStorePaths.For(mediaDir, own)));
        Assert.Equal(ServiceErrorKind.NotFound, (await Assert.ThrowsAsync<ServiceException>(() => projects.GetAsync(lead, projectId))).Kind);
        await using var after = await db.ContextAsync();
        Assert.False(await after.Items.AnyAsync(i => i.ProjectId == projectId));
        Assert.False(await after.Annotations.AnyAsync(a => a.ProjectId == projectId));
        Assert.Equal([shared], await after.MediaObjects.Select(m => m.Hash).ToListAsync());
        var deleted = await after.AuditEvents.SingleAsync(e => e.ProjectId == projectId && e.Action == "project.deleted");
        Assert.Contains("\"name\":\"Project setup\"", deleted.BeforeJson, StringComparison.Ordinal);
        Assert.True((await db.Get<AuditService>().VerifyAsync(Caller.System, null)).Ok);
    }

    [Fact]
    public async Task Cli_projects_create_refuses_an_invalid_schema_with_exit_2_naming_the_field()
    {
        await using var db = await SetupDatabase.CreateAsync("sqlite");
        var schemaFile = Path.Combine(db.DataDir, "schema.json");
        await File.WriteAllTextAsync(schemaFile, """{"fields": [{"name": "mood", "kind": "choices", "source": "text", "options": []}]}""");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CliRunner.RunAsync(CliApp.CreateRoot(), ["projects", "create", "--name", "Bad", "--schema", schemaFile], stdout, stderr, db.Settings);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("fields[0] \"mood\".options", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("at least one entry", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.ToString());
    }

    /// <summary>A fresh migrated database with the services over it; SQLite in a temp folder or a throwaway PostgreSQL database.</summary>
    private sealed class SetupDatabase : IAsyncDisposable
    {
        public const string PostgresVariable = "LABELBENCH_TEST_POSTGRES";
        private const string Password = "Passw0rd-setup";
        private readonly string? adminConnection;
        private readonly string? databaseName;
        private int users;

        private SetupDatabase(string dataDir, Dictionary<string, string?> settings, ServiceProvider services, Clock time, string? adminConnection, string? databaseName)
        {
            DataDir = dataDir;
            Settings = settings;
            Services = services;
            Time = time;
            this.adminConnection = adminConnection;
            this.databaseName = databaseName;
        }

        public string DataDir { get; }

        public Dictionary<string, string?> Settings { get; }

        public ServiceProvider Services { get; }

        public Clock Time { get; }

        public static async Task<SetupDatabase> CreateAsync(string provider)
        {
            var dataDir = Path.Combine(Path.GetTempPath(), "labelbench-setup-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dataDir);
            var settings = new Dictionary<string, string?>
            {
                ["LabelBench:DataDir"] = dataDir,
                ["LabelBench:Database:Provider"] = provider,
                ["LabelBench:Database:ConnectionString"] = string.Empty,
                ["LabelBench:SeedDemo"] = "false",
            };
            string? admin = null;
            string? name = null;
            if (provider == "postgres")
            {
                admin = Environment.GetEnvironmentVariable(PostgresVariable)!;
                name = "lb_setup_" + Guid.NewGuid().ToString("N")[..16];
                await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
                settings["LabelBench:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 10 }.ConnectionString;
            }

            var time = new Clock();
            var services = new ServiceCollection().AddLogging();
            services.AddLabelBenchData(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            services.AddSingleton<TimeProvider>(time);
            var provided = services.BuildServiceProvider(validateScopes: true);
            var db = new SetupDatabase(dataDir, settings, provided, time, admin, name);
            await DatabaseSetup.MigrateAsync(provided.GetRequiredService<IDbContextFactory<LabelBenchDbContext>>());
            return db;
        }

        public T Get<T>()
            where T : notnull => Services.GetRequiredService<T>();

        public Task<LabelBenchDbContext> ContextAsync() => Get<IDbContextFactory<LabelBenchDbContext>>().CreateDbContextAsync();

        public async Task<Caller> CreateUserAsync(string email, bool admin = false)
        {
            await using var scope = Services.CreateAsyncScope();
            var id = await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(Caller.System, email, Password, admin);
            return new Caller(id, admin);
        }

        public async Task ImportAsync(Caller lead, long projectId, string jsonl)
        {
            var bytes = Encoding.UTF8.GetBytes(jsonl + "\n");
            var report = await Get<ImportService>().ImportAsync(lead, projectId, [new ImportFile("items.jsonl", bytes.Length, () => new MemoryStream(bytes))]);
            Assert.Empty(report.Rejected);
        }

        /// <summary>A project named "Project setup" with a lead, <paramref name="annotators"/> annotators and items whose "text" is "item N is good".</summary>
        public async Task<(Caller Lead, IReadOnlyList<Caller> Annotators, long ProjectId)> ProjectWithItemsAsync(
            string schema, int overlap, int items, int annotators, string leadEmail = "lead@example.org")
        {
            var lead = await CreateUserAsync(leadEmail);
            var projects = Get<ProjectService>();
            var projectId = await projects.CreateAsync(lead, new ProjectDraft("Project setup", schema, overlap));
            var people = new List<Caller>();
            for (var i = 0; i < annotators; i++)
            {
                var annotator = await CreateUserAsync($"annotator{users++}@example.org");
                await projects.AddMemberByIdAsync(lead, projectId, annotator.UserId, ProjectRole.Annotator);
                people.Add(annotator);
            }

            if (items > 0)
            {
                await ImportAsync(lead, projectId, string.Join("\n", Enumerable.Range(0, items).Select(i => $$$"""{"id": "i{{{i}}}", "data": {"text": "item {{{i}}} is good"}}""")));
            }

            return (lead, people, projectId);
        }

        /// <summary>A project with one item per label, each annotated by the same annotator with that label.</summary>
        public async Task<(Caller Lead, IReadOnlyList<Caller> Annotators, long ProjectId)> ProjectWithAnnotationsAsync(string schema, int overlap, params string[] labels)
        {
            var (lead, annotators, projectId) = await ProjectWithItemsAsync(schema, overlap, labels.Length, annotators: 1);
            foreach (var label in labels)
            {
                await SubmitAsync(annotators[0], projectId, label);
            }

            return (lead, annotators, projectId);
        }

        public async Task SubmitAsync(Caller annotator, long projectId, string label, long timeMs = 1500)
        {
            var queue = Get<QueueService>();
            var next = await queue.NextAsync(annotator, projectId) ?? throw new InvalidOperationException("no item left for the annotator");
            await queue.SubmitAsync(annotator, projectId, next.ItemId, new JsonObject { ["sentiment"] = label }, timeMs);
        }

        public async Task<string> ExportTextAsync(Caller caller, long projectId)
        {
            using var stream = new MemoryStream();
            await Get<ExportService>().WriteAsync(caller, projectId, ExportRequest.Parse("jsonl", "all"), stream);
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            if (adminConnection is not null && databaseName is not null)
            {
                NpgsqlConnection.ClearAllPools();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await ExecuteAsync(adminConnection, $"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)");
                        break;
                    }
                    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
                    {
                        // An autovacuum worker (a superuser's process) is in the database; it leaves within moments.
                        await Task.Delay(500);
                    }
                }
            }
            else
            {
                SqliteConnection.ClearAllPools();
            }

            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }

        private static async Task ExecuteAsync(string connectionString, string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A clock the test sets; it starts at a fixed instant.</summary>
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
