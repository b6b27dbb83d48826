using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Agreement;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LabelBench.Data.Services;

/// <summary>The agreement dashboard of a project: the chosen label field's figures, and region fields' agreement.</summary>
public sealed record ProjectAgreement(
    long ProjectId,
    string? Field,
    IReadOnlyList<string> LabelFields,
    AgreementDashboard? Dashboard,
    IReadOnlyList<StructuredAgreementSummary> RegionFields,
    IReadOnlyDictionary<string, string> AnnotatorNames,
    IReadOnlyDictionary<string, string> ItemNames,
    string? Message,
    DateTimeOffset ComputedAt);

/// <summary>Agreement of a project's submitted annotations, field by field.</summary>
public sealed class AgreementService(IDbContextFactory<LabelBenchDbContext> dbFactory, IMemoryCache cache, TimeProvider time)
{
    /// <summary>
    /// The dashboard's figures, cached until the project's annotations or adjudications change (the key holds the
    /// project's submitted count), so opening the dashboard again costs a lookup.
    /// </summary>
    public async Task<ProjectAgreement> DashboardAsync(Caller caller, long projectId, string? fieldName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId)
            .Select(p => new { p.SubmittedCount, p.CurrentSchemaVersion }).SingleAsync(ct);
        var adjudications = await db.Adjudications.CountAsync(a => a.ProjectId == projectId, ct);
        var key = (nameof(DashboardAsync), projectId, fieldName ?? string.Empty, project.SubmittedCount, adjudications, project.CurrentSchemaVersion);
        if (cache.TryGetValue(key, out ProjectAgreement? cached) && cached is not null)
        {
            return cached;
        }

        var schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
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
                var (set, completedAt, gold) = await LoadAsync(db, projectId, schema, chosen, ct);
                var field = schema.FindField(chosen)!;
                dashboard = AgreementDashboardBuilder.Build(set, new AgreementDashboardOptions
                {
                    CompletedAt = completedAt,
                    Gold = gold,
                    AlphaLevel = field.Kind == FieldKind.Rating ? MeasurementLevel.Ordinal : MeasurementLevel.Nominal,
                });
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
        var result = new ProjectAgreement(projectId, chosen, labelFields, dashboard, regions, names, itemNames, message, time.GetUtcNow());
        cache.Set(key, result, TimeSpan.FromMinutes(30));
        return result;
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
            builder.Add(item, a.UserId, Label((JsonNode.Parse(a.ResultJson) as JsonObject)?[field.Name]));
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
            if (Label((JsonNode.Parse(g.GoldResultJson!) as JsonObject)?[field.Name]) is { } label)
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

    private static string? Label(JsonNode? value) => value switch
    {
        null => null,
        JsonArray a => a.Count == 0 ? null : string.Join("|", a.Select(x => x?.ToString()).Order(StringComparer.Ordinal)),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
        _ => value.ToJsonString(),
    };
}
