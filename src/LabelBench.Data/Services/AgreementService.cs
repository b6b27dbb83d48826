using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Agreement;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace LabelBench.Data.Services;

/// <summary>
/// The agreement dashboard of a project: the chosen label field's figures, and region fields' agreement.
/// <see cref="Stale"/> is true when annotations changed since <see cref="ComputedAt"/> and fresher figures are being
/// computed in the background (<see cref="AgreementService.RefreshingAsync"/>).
/// </summary>
public sealed record ProjectAgreement(
    long ProjectId,
    string? Field,
    IReadOnlyList<string> LabelFields,
    AgreementDashboard? Dashboard,
    IReadOnlyList<StructuredAgreementSummary> RegionFields,
    IReadOnlyDictionary<string, string> AnnotatorNames,
    IReadOnlyDictionary<string, string> ItemNames,
    string? Message,
    DateTimeOffset ComputedAt)
{
    public bool Stale { get; init; }

    /// <summary>Submitted annotations counted when the figures were computed.</summary>
    public long SubmittedAtComputation { get; init; }
}

/// <summary>Agreement of a project's submitted annotations, field by field.</summary>
public sealed class AgreementService(IDbContextFactory<LabelBenchDbContext> dbFactory, IMemoryCache cache, TimeProvider time, ILogger<AgreementService> logger)
{
    private readonly ConcurrentDictionary<(long Project, string Field), Lazy<Task<ProjectAgreement>>> computing = new();

    private sealed record CachedDashboard((long Submitted, int Adjudications, int SchemaVersion) Version, ProjectAgreement Result);

    /// <summary>
    /// The dashboard's figures. Computed once, then served from memory: at once while nothing changed, and, after
    /// annotations or adjudications changed, still at once (marked <see cref="ProjectAgreement.Stale"/>) while one
    /// background computation per project and field brings them up to date. Only the first open of a field (or one with
    /// <paramref name="fresh"/>) waits for the computation.
    /// </summary>
    /// <param name="fresh">Wait for figures that count every annotation submitted so far.</param>
    public async Task<ProjectAgreement> DashboardAsync(Caller caller, long projectId, string? fieldName, bool fresh = false, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        }

        var key = (projectId, fieldName ?? string.Empty);
        var version = await VersionAsync(projectId, ct);
        if (cache.TryGetValue(key, out CachedDashboard? cached) && cached is not null)
        {
            if (cached.Version == version)
            {
                return cached.Result;
            }

            if (!fresh)
            {
                _ = Compute(key);
                return cached.Result with { Stale = true };
            }

            return await ComputeAndCacheAsync(key, ct);
        }

        return fresh ? await ComputeAndCacheAsync(key, ct) : await Compute(key).WaitAsync(ct);
    }

    /// <summary>
    /// Computes the default field's figures of every active project with annotations to compare, one after another,
    /// so the first open after a start is quick too. Returns how many projects it computed.
    /// </summary>
    public async Task<int> WarmAsync(CancellationToken ct)
    {
        List<long> projects;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            projects = await db.Projects.AsNoTracking().Where(p => p.ArchivedAt == null && p.SubmittedCount > 1)
                .OrderByDescending(p => p.SubmittedCount).Select(p => p.Id).ToListAsync(ct);
        }

        foreach (var project in projects)
        {
            await Compute((project, string.Empty)).WaitAsync(ct);
        }

        return projects.Count;
    }

    /// <summary>The figures being computed for a project's field, or null when none are: await it to show fresher figures.</summary>
    public Task<ProjectAgreement>? RefreshingAsync(long projectId, string? fieldName) =>
        computing.TryGetValue((projectId, fieldName ?? string.Empty), out var running) ? running.Value : null;

    private async Task<(long Submitted, int Adjudications, int SchemaVersion)> VersionAsync(long projectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId)
            .Select(p => new { p.SubmittedCount, p.CurrentSchemaVersion }).SingleAsync(ct);
        var adjudications = await db.Adjudications.CountAsync(a => a.ProjectId == projectId, ct);
        return (project.SubmittedCount, adjudications, project.CurrentSchemaVersion);
    }

    /// <summary>One computation per project and field at a time, shared by every caller; it outlives the callers' requests.</summary>
    private Task<ProjectAgreement> Compute((long Project, string Field) key)
    {
        var lazy = computing.GetOrAdd(key, k => new Lazy<Task<ProjectAgreement>>(() => Task.Run(async () =>
        {
            try
            {
                return await ComputeAndCacheAsync(k, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not ServiceException)
            {
                logger.LogError(ex, "Computing the agreement figures of project {Project} failed", k.Project);
                throw;
            }
        })));
        var task = lazy.Value;
        _ = task.ContinueWith(_ => computing.TryRemove(new KeyValuePair<(long, string), Lazy<Task<ProjectAgreement>>>(key, lazy)), TaskScheduler.Default);
        return task;
    }

    private async Task<ProjectAgreement> ComputeAndCacheAsync((long Project, string Field) key, CancellationToken ct)
    {
        // The version is read first: annotations submitted during the computation make the figures stale, never too new.
        var version = await VersionAsync(key.Project, ct);
        var result = await ComputeAsync(key.Project, key.Field.Length == 0 ? null : key.Field, ct) with { SubmittedAtComputation = version.Submitted };
        cache.Set(key, new CachedDashboard(version, result), new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(1) });
        return result;
    }

    private async Task<ProjectAgreement> ComputeAsync(long projectId, string? fieldName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.Projects.Where(p => p.Id == projectId).Select(p => p.CurrentSchemaVersion).SingleAsync(ct);
        var schema = await QueueService.SchemaAsync(db, projectId, version, ct);
        var labelFields = schema.Fields.Where(f => f.Kind is FieldKind.Choices or FieldKind.Rating).Select(f => f.Name).ToList();
        var names = await db.ProjectMembers.AsNoTracking().Where(m => m.ProjectId == projectId)
            .Select(m => new { m.UserId, m.User!.Email }).Distinct().ToDictionaryAsync(m => m.UserId, m => m.Email ?? m.UserId, ct);
        var regions = await RegionAgreementAsync(db, projectId, schema, ct);
        AgreementDashboard? dashboard = null;
        string? message = null;
        string? chosen = fieldName ?? labelFields.FirstOrDefault();
        if (chosen is not null)
        {
            try
            {
                var started = time.GetTimestamp();
                var (set, completedAt, gold) = await LoadAsync(db, projectId, schema, chosen, ct);
                var loaded = time.GetTimestamp();
                var field = schema.FindField(chosen)!;
                dashboard = AgreementDashboardBuilder.Build(set, new AgreementDashboardOptions
                {
                    CompletedAt = completedAt,
                    Gold = gold,
                    AlphaLevel = field.Kind == FieldKind.Rating ? MeasurementLevel.Ordinal : MeasurementLevel.Nominal,
                });
                logger.LogInformation(
                    "Agreement figures of project {Project}, field {Field}: {Judgements} judgements read in {LoadMs:F0} ms, figures computed in {ComputeMs:F0} ms",
                    projectId, chosen, set.JudgementCount, time.GetElapsedTime(started, loaded).TotalMilliseconds, time.GetElapsedTime(loaded).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is AgreementException or ServiceException)
            {
                message = ex.Message;
            }
        }
        else
        {
            message = "the schema has no choices or rating field; see the region fields below";
        }

        // Items are measured by their id; show people the external id they imported them with.
        var dividing = dashboard?.MostDividing.Select(d => long.Parse(d.Item, CultureInfo.InvariantCulture)).ToList() ?? [];
        var itemNames = await db.Items.AsNoTracking().Where(i => dividing.Contains(i.Id))
            .Select(i => new { i.Id, i.ExternalId }).ToDictionaryAsync(i => i.Id.ToString(CultureInfo.InvariantCulture), i => i.ExternalId ?? i.Id.ToString(CultureInfo.InvariantCulture), ct);
        return new ProjectAgreement(projectId, chosen, labelFields, dashboard, regions, names, itemNames, message, time.GetUtcNow());
    }

    /// <summary>
    /// The judgements of one label field (choices or rating; the first such field when none is named): one per
    /// submitted annotation, a multiple-choice value as its choices joined with "|", an empty value as missing.
    /// </summary>
    public async Task<JudgementSet> JudgementsAsync(Caller caller, long projectId, string? fieldName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var version = await db.Projects.Where(p => p.Id == projectId).Select(p => p.CurrentSchemaVersion).SingleAsync(ct);
        var schema = await QueueService.SchemaAsync(db, projectId, version, ct);
        return (await LoadAsync(db, projectId, schema, fieldName, ct)).Set;
    }

    private static async Task<(JudgementSet Set, Dictionary<string, DateTimeOffset> CompletedAt, Dictionary<string, string> Gold)> LoadAsync(
        LabelBenchDbContext db, long projectId, LabelSchema schema, string? fieldName, CancellationToken ct)
    {
        var field = ResolveField(schema, fieldName);
        var builder = new JudgementSetBuilder();
        var completedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var a in db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted)
            .OrderBy(a => a.ItemId).ThenBy(a => a.Id)
            .Select(a => new { a.ItemId, a.UserId, a.ResultJson, a.SubmittedAt })
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            var item = a.ItemId.ToString(CultureInfo.InvariantCulture);
            builder.Add(item, a.UserId, LabelOf(a.ResultJson, field.Name));
            if (a.SubmittedAt is { } at && (!completedAt.TryGetValue(item, out var prior) || at > prior))
            {
                completedAt[item] = at;
            }
        }

        if (builder.Count == 0)
        {
            throw ServiceException.Invalid($"project {projectId} has no submitted annotations yet");
        }

        var gold = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var g in db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && i.IsGold && i.GoldResultJson != null)
            .Select(i => new { i.Id, i.GoldResultJson }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (LabelOf(g.GoldResultJson!, field.Name) is { } label)
            {
                gold[g.Id.ToString(CultureInfo.InvariantCulture)] = label;
            }
        }

        // Single choices keep the schema's order (it matters for ordinal measures); ratings are numbers and sort as
        // such; multiple-choice combinations have no natural order.
        var set = field.Kind == FieldKind.Choices && !field.Multiple ? builder.Build(field.Options.Select(o => o.Value)) : builder.Build();
        return (set, completedAt, gold);
    }

    private static async Task<List<StructuredAgreementSummary>> RegionAgreementAsync(LabelBenchDbContext db, long projectId, LabelSchema schema, CancellationToken ct)
    {
        var fields = schema.Fields.Where(f => StructuredFieldAgreement.Supports(f.Kind)).ToList();
        if (fields.Count == 0)
        {
            return [];
        }

        // One pass over the annotations, grouped by item (they arrive ordered), so memory holds one item at a time.
        var perField = fields.ToDictionary(f => f.Name, _ => new List<IReadOnlyList<JsonNode?>>());
        long current = -1;
        var values = fields.ToDictionary(f => f.Name, _ => new List<JsonNode?>());
        await foreach (var a in db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted)
            .OrderBy(a => a.ItemId).Select(a => new { a.ItemId, a.ResultJson }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (a.ItemId != current)
            {
                Flush();
                current = a.ItemId;
            }

            var result = JsonNode.Parse(a.ResultJson) as JsonObject;
            foreach (var f in fields)
            {
                values[f.Name].Add(result?[f.Name]?.DeepClone());
            }
        }

        Flush();
        return fields.Select(f => StructuredFieldAgreement.Summarise(f, perField[f.Name])).ToList();

        void Flush()
        {
            foreach (var f in fields)
            {
                if (values[f.Name].Count >= 2)
                {
                    perField[f.Name].Add(values[f.Name].ToList());
                }

                values[f.Name].Clear();
            }
        }
    }

    private static SchemaField ResolveField(LabelSchema schema, string? fieldName)
    {
        var field = fieldName is null
            ? schema.Fields.FirstOrDefault(f => f.Kind is FieldKind.Choices or FieldKind.Rating)
            : schema.FindField(fieldName);
        if (field is null)
        {
            throw ServiceException.Invalid(fieldName is null
                ? "the project's schema has no choices or rating field to measure agreement on"
                : $"field: the schema has no field \"{fieldName}\"");
        }

        if (field.Kind is not (FieldKind.Choices or FieldKind.Rating))
        {
            throw ServiceException.Invalid($"field: \"{field.Name}\" is a {field.Kind.ToName()} field; label agreement is measured on choices and rating fields");
        }

        return field;
    }

    /// <summary>
    /// The label of one field in a stored result, read with a forward-only reader (the dashboard reads hundreds of
    /// thousands of results): a string, its choices joined with "|" in order, a number as written; empty is missing.
    /// </summary>
    internal static string? LabelOf(string resultJson, string fieldName)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(resultJson));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(fieldName);
            reader.Read();
            if (!match)
            {
                reader.Skip();
                continue;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var text = reader.GetString();
                    return string.IsNullOrEmpty(text) ? null : text;
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                    return Encoding.UTF8.GetString(reader.ValueSpan);
                default:
                    // Arrays (multiple choices) and anything unusual: the general path.
                    return Label(JsonNode.Parse(JsonDocument.ParseValue(ref reader).RootElement.GetRawText()));
            }
        }

        return null;
    }

    private static string? Label(JsonNode? value) => value switch
    {
        null => null,
        JsonArray a => a.Count == 0 ? null : string.Join("|", a.Select(x => x?.ToString()).Order(StringComparer.Ordinal)),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
        _ => value.ToJsonString(),
    };
}
