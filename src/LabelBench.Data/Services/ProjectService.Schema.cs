using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>What a schema change would do to the project's annotations, before it is saved.</summary>
/// <param name="Report">The orphaning changes with counts, resolved or not by the migrations given.</param>
/// <param name="AffectedAnnotations">Distinct annotations (and reviewers' decisions) left orphaned by unresolved changes.</param>
/// <param name="Warnings">Schema warnings, e.g. a source key no item has.</param>
public sealed record SchemaChangePreview(SchemaChangeReport Report, int AffectedAnnotations, IReadOnlyList<ValidationError> Warnings);

/// <summary>The outcome of a saved schema change.</summary>
/// <param name="Changed">False when the schema was the current one already (no new version).</param>
/// <param name="Migrated">Annotations, adjudications and gold results rewritten by the migrations.</param>
public sealed record SchemaUpdateResult(int Version, bool Changed, int Migrated, IReadOnlyList<ValidationError> Warnings);

/// <summary>The item data keys a schema can read, seen in a sample of the project's items, and one item to preview with.</summary>
public sealed record SchemaDesignContext(IReadOnlyList<string> DataKeys, JsonObject? SampleData, bool HasItems);

public sealed partial class ProjectService
{
    private const int MigrationBatch = 500;
    private const int DataKeySample = 500;

    /// <summary>The data keys of the project's first items and the first item's data, for the schema designer (leads).</summary>
    public async Task<SchemaDesignContext> DesignContextAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireLeadAsync(db, caller, projectId, ct);
        var (keys, sample) = await SampleDataKeysAsync(db, projectId, ct);
        return new SchemaDesignContext(keys, sample, sample is not null);
    }

    /// <summary>
    /// What saving <paramref name="schemaJson"/> would do: refused fields are thrown as Invalid (400), orphaned
    /// annotations are reported with counts so the lead can choose migrations.
    /// </summary>
    public async Task<SchemaChangePreview> PreviewSchemaChangeAsync(Caller caller, long projectId, string schemaJson, IReadOnlyList<SchemaMigration>? migrations = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireLeadAsync(db, caller, projectId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = ParseForUpdate(schemaJson, project);
        var old = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        var (report, affected) = await AnalyzeAsync(db, projectId, old, schema, migrations ?? [], ct);
        return new SchemaChangePreview(report, affected, await WarningsAsync(db, projectId, schema, ct));
    }

    /// <summary>
    /// Saves a new schema version. A change that would orphan annotations (a label in use removed, a field in use
    /// removed or of another kind, …) is refused with a Conflict that says how many it affects, unless
    /// <paramref name="migrations"/> carry them over: then the annotations, reviewers' decisions and gold results are
    /// rewritten in batches inside the same transaction, each rewrite audited with its before and after.
    /// </summary>
    public async Task<SchemaUpdateResult> UpdateSchemaAsync(Caller caller, long projectId, string schemaJson, IReadOnlyList<SchemaMigration>? migrations = null, CancellationToken ct = default)
    {
        migrations ??= [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireLeadAsync(db, caller, projectId, ct);
        var snapshot = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = ParseForUpdate(schemaJson, snapshot);
        var warnings = await WarningsAsync(db, projectId, schema, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Takes the project's row lock first (PostgreSQL), so two leads saving at once get consecutive versions.
        await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.CurrentSchemaVersion, p => p.CurrentSchemaVersion), ct);
        var project = await db.Projects.SingleAsync(p => p.Id == projectId, ct);
        var old = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        if (old.Equals(schema) && migrations.Count == 0)
        {
            return new SchemaUpdateResult(project.CurrentSchemaVersion, Changed: false, Migrated: 0, warnings);
        }

        var (report, affected) = await AnalyzeAsync(db, projectId, old, schema, migrations, ct);
        if (report.MigrationErrors.Count > 0)
        {
            throw ServiceException.Invalid(string.Join("; ", report.MigrationErrors), report.MigrationErrors);
        }

        if (!report.CanApply)
        {
            throw ServiceException.Conflict(report.DescribeRefusal(affected));
        }

        var now = time.GetUtcNow();
        var version = project.CurrentSchemaVersion + 1;
        var json = LabelSchemaJson.Serialize(schema);
        db.SchemaVersions.Add(new SchemaVersion
        {
            ProjectId = projectId,
            Version = version,
            Json = json,
            CreatedAt = now,
            CreatedById = caller == Caller.System ? null : caller.UserId,
        });
        project.CurrentSchemaVersion = version;
        await audit.AppendAsync(db, "schema.updated", caller, projectId, "schema", version.ToString(CultureInfo.InvariantCulture),
            before: new { version = version - 1, schema = LabelSchemaJson.ToJsonNode(old) },
            after: new
            {
                version,
                schema = LabelSchemaJson.ToJsonNode(schema),
                migrations = SchemaMigrationJson.ToJson(migrations),
                impacts = report.Impacts.Select(i => new { kind = i.Kind.ToString(), i.Field, i.Label, i.Annotations }),
            },
            ct: ct);
        await db.SaveChangesAsync(ct);
        var migrated = migrations.Count == 0 ? 0 : await MigrateAsync(db, caller, project, old, schema, version, migrations, ct);
        await tx.CommitAsync(ct);
        return new SchemaUpdateResult(version, Changed: true, migrated, warnings);
    }

    private static LabelSchema ParseForUpdate(string schemaJson, Project project)
    {
        var parsed = LabelSchemaJson.Parse(schemaJson);
        var problems = parsed.Errors.Select(e => e.Path.StartsWith("schema", StringComparison.Ordinal) ? e : e with { Path = $"schema.{e.Path}" }).ToList();
        if (parsed.Value is { } schema)
        {
            foreach (var field in schema.Fields)
            {
                foreach (var key in field.Responses.Prepend(field.Source ?? string.Empty).Where(project.HiddenDataKeys.Contains))
                {
                    problems.Add(new($"schema.fields \"{field.Name}\".source",
                        $"the field \"{field.Name}\" reads \"{key}\", which is hidden from annotators; show the key to annotators in the settings first"));
                }
            }
        }

        if (problems.Count > 0 || parsed.Value is null)
        {
            throw ServiceException.Invalid(string.Join("; ", problems), problems);
        }

        return parsed.Value;
    }

    private async Task<IReadOnlyList<ValidationError>> WarningsAsync(LabelBenchDbContext db, long projectId, LabelSchema schema, CancellationToken ct)
    {
        var (keys, sample) = await SampleDataKeysAsync(db, projectId, ct);
        return sample is null ? [] : SchemaValidator.Validate(schema, keys.ToHashSet(StringComparer.Ordinal)).Where(p => p.IsWarning).ToList();
    }

    private static async Task<(IReadOnlyList<string> Keys, JsonObject? Sample)> SampleDataKeysAsync(LabelBenchDbContext db, long projectId, CancellationToken ct)
    {
        // The first items stand for the rest: reading every item's data would not stay fast at a million items.
        var rows = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending).OrderBy(i => i.Id)
            .Select(i => i.DataJson).Take(DataKeySample).ToListAsync(ct);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        JsonObject? sample = null;
        foreach (var row in rows)
        {
            var data = QueueService.ParseObject(row);
            sample ??= data;
            foreach (var (key, _) in data)
            {
                keys.Add(key);
            }
        }

        return (keys.ToList(), sample);
    }

    /// <summary>
    /// Counts how annotations (submitted and drafts) and reviewers' decisions use the old schema, for the changes
    /// that could orphan them; a change that orphans nothing costs no scan.
    /// </summary>
    private static async Task<(SchemaChangeReport Report, int Affected)> AnalyzeAsync(
        LabelBenchDbContext db, long projectId, LabelSchema old, LabelSchema schema, IReadOnlyList<SchemaMigration> migrations, CancellationToken ct)
    {
        var candidates = SchemaChange.Compare(old, schema);
        if (candidates.Count == 0)
        {
            return (SchemaChange.Analyze(old, schema, LabelUsage.Empty, migrations), 0);
        }

        var counter = new LabelUsageCounter(old);
        // Which candidates each annotation hits, so the refusal counts annotations, not changes, and none twice.
        var bySignature = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string resultJson)
        {
            var result = QueueService.ParseObject(resultJson);
            counter.Add(result);
            var hits = Enumerable.Range(0, candidates.Count).Where(i => SchemaChange.Hits(candidates[i], result, old)).ToList();
            if (hits.Count > 0)
            {
                var signature = string.Join(',', hits);
                bySignature[signature] = bySignature.GetValueOrDefault(signature) + 1;
            }
        }

        long after = 0;
        while (true)
        {
            var batch = await db.Annotations.AsNoTracking()
                .Where(a => a.ProjectId == projectId && a.Status != AnnotationStatus.Skipped && a.Id > after)
                .OrderBy(a => a.Id).Select(a => new { a.Id, a.ResultJson }).Take(MigrationBatch).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            batch.ForEach(a => Count(a.ResultJson));
            after = batch[^1].Id;
        }

        after = 0;
        while (true)
        {
            var batch = await db.Adjudications.AsNoTracking().Where(a => a.ProjectId == projectId && a.Id > after)
                .OrderBy(a => a.Id).Select(a => new { a.Id, a.ResultJson }).Take(MigrationBatch).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            batch.ForEach(a => Count(a.ResultJson));
            after = batch[^1].Id;
        }

        var report = SchemaChange.Analyze(old, schema, counter.ToUsage(), migrations);
        var unresolved = Enumerable.Range(0, candidates.Count)
            .Where(i => report.Unresolved.Any(u => u.Kind == candidates[i].Kind && u.Field == candidates[i].Field && u.Label == candidates[i].Label))
            .Select(i => i.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var affected = bySignature.Where(p => p.Key.Split(',').Any(unresolved.Contains)).Sum(p => p.Value);
        return (report, affected);
    }

    /// <summary>Rewrites what the migrations touch, a batch at a time inside the caller's transaction; returns how many rows changed.</summary>
    private async Task<int> MigrateAsync(LabelBenchDbContext db, Caller caller, Project project, LabelSchema old, LabelSchema schema, int version, IReadOnlyList<SchemaMigration> migrations, CancellationToken ct)
    {
        var projectId = project.Id;
        var now = time.GetUtcNow();
        var migrated = 0;
        var decided = new HashSet<long>();

        long after = 0;
        while (true)
        {
            var batch = await db.Annotations.Where(a => a.ProjectId == projectId && a.Status != AnnotationStatus.Skipped && a.Id > after)
                .OrderBy(a => a.Id).Take(MigrationBatch).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var annotation in batch)
            {
                var result = QueueService.ParseObject(annotation.ResultJson);
                if (SchemaChange.Apply(result, migrations, old) is not { } next)
                {
                    continue;
                }

                await audit.AppendAsync(db, "annotation.migrated", caller, projectId, "annotation", annotation.Id.ToString(CultureInfo.InvariantCulture),
                    before: new { itemId = annotation.ItemId, schemaVersion = annotation.SchemaVersion, result },
                    after: new { itemId = annotation.ItemId, schemaVersion = version, result = next }, ct: ct);
                annotation.ResultJson = next.ToJsonString();
                annotation.SchemaVersion = version;
                annotation.UpdatedAt = now;
                migrated++;
                if (annotation.Status == AnnotationStatus.Submitted)
                {
                    decided.Add(annotation.ItemId);
                }
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }

        after = 0;
        while (true)
        {
            var batch = await db.Adjudications.Where(a => a.ProjectId == projectId && a.Id > after).OrderBy(a => a.Id).Take(MigrationBatch).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var adjudication in batch)
            {
                var result = QueueService.ParseObject(adjudication.ResultJson);
                if (SchemaChange.Apply(result, migrations, old) is not { } next)
                {
                    continue;
                }

                await audit.AppendAsync(db, "adjudication.migrated", caller, projectId, "adjudication", adjudication.Id.ToString(CultureInfo.InvariantCulture),
                    before: new { itemId = adjudication.ItemId, schemaVersion = adjudication.SchemaVersion, result },
                    after: new { itemId = adjudication.ItemId, schemaVersion = version, result = next }, ct: ct);
                adjudication.ResultJson = next.ToJsonString();
                adjudication.SchemaVersion = version;
                adjudication.Version = Guid.NewGuid();
                migrated++;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }

        after = 0;
        while (true)
        {
            var batch = await db.Items.Where(i => i.ProjectId == projectId && i.IsGold && i.GoldResultJson != null && i.Id > after)
                .OrderBy(i => i.Id).Take(MigrationBatch).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var item in batch)
            {
                var result = QueueService.ParseObject(item.GoldResultJson!);
                if (SchemaChange.Apply(result, migrations, old) is not { } next)
                {
                    continue;
                }

                await audit.AppendAsync(db, "gold.migrated", caller, projectId, "item", item.Id.ToString(CultureInfo.InvariantCulture),
                    before: new { result }, after: new { result = next }, ct: ct);
                item.GoldResultJson = next.ToJsonString();
                migrated++;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
        }

        // Merging labels can turn a disagreement into agreement (and clearing a field can too): decide those items again.
        var rule = ItemFinality.RuleOf(project.AgreementRule);
        var delta = 0;
        foreach (var chunk in decided.Chunk(MigrationBatch))
        {
            delta += await ItemFinality.RefreshAsync(db, projectId, project.Overlap, rule, schema, chunk, ct);
        }

        if (delta != 0)
        {
            await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.FinalCount, p => p.FinalCount + delta), ct);
        }

        return migrated;
    }
}
