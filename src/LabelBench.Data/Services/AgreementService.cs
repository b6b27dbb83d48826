using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Agreement;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>Agreement of a project's submitted annotations, field by field.</summary>
public sealed class AgreementService(IDbContextFactory<LabelBenchDbContext> dbFactory)
{
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

        var builder = new JudgementSetBuilder();
        await foreach (var a in db.Annotations.AsNoTracking()
            .Where(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted)
            .OrderBy(a => a.ItemId).ThenBy(a => a.Id)
            .Select(a => new { a.ItemId, a.UserId, a.ResultJson })
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            var value = (JsonNode.Parse(a.ResultJson) as JsonObject)?[field.Name];
            builder.Add(a.ItemId.ToString(CultureInfo.InvariantCulture), a.UserId, Label(value));
        }

        if (builder.Count == 0)
        {
            throw ServiceException.Invalid($"project {projectId} has no submitted annotations yet");
        }

        // Single choices keep the schema's order (it matters for ordinal measures); ratings are numbers and sort as such;
        // multiple-choice combinations have no natural order.
        return field.Kind == FieldKind.Choices && !field.Multiple ? builder.Build(field.Options.Select(o => o.Value)) : builder.Build();
    }

    private static string? Label(JsonNode? value) => value switch
    {
        null => null,
        JsonArray a => a.Count == 0 ? null : string.Join("|", a.Select(x => x?.ToString()).Order(StringComparer.Ordinal)),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
        _ => value.ToJsonString(),
    };
}
