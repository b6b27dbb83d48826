using System.Security.Claims;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using LabelBench.Web.Auth;

namespace LabelBench.Web.Api;

/// <summary>
/// The project lead's routes of <c>/api/v1/projects</c>: schema versions, settings, members, progress, archive and
/// delete. <see cref="ProjectService"/> checks the role (403 for annotators, 404 for non-members).
/// </summary>
public static class ProjectSetupEndpoints
{
    public static RouteGroupBuilder MapProjectSetupApi(this RouteGroupBuilder group)
    {
        group.MapPatch("/{id:long}", async (long id, UpdateProjectRequest body, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            TypedResults.Ok(await projects.UpdateSettingsAsync(user.ToCaller(), id, new ProjectSettingsUpdate
            {
                Name = body.Name,
                Description = body.Description,
                Overlap = body.Overlap,
                QueueOrder = body.QueueOrder,
                Blind = body.Blind,
                ShowPredictions = body.ShowPredictions,
                AllowSelfReview = body.AllowSelfReview,
                LeaseMinutes = body.LeaseMinutes,
                AgreementRule = body.AgreementRule,
                Guidelines = body.Guidelines,
                HiddenDataKeys = body.HiddenDataKeys,
                MaskPii = body.MaskPii,
                AnnotatorsPseudonymised = body.AnnotatorsPseudonymised,
            }, ct)))
            .WithSummary("Change settings (leads): overlap, queueOrder, blind, showPredictions, allowSelfReview, leaseMinutes, agreementRule, guidelines, hiddenDataKeys, maskPii, annotatorsPseudonymised");

        group.MapDelete("/{id:long}", async (long id, string? confirmName, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            TypedResults.Ok(await projects.DeleteAsync(user.ToCaller(), id, confirmName ?? string.Empty, ct)))
            .WithSummary("Delete a project for good (leads); ?confirmName= must be its exact name");

        group.MapPost("/{id:long}/archive", async (long id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            await projects.ArchiveAsync(user.ToCaller(), id, archived: true, ct);
            return TypedResults.NoContent();
        }).WithSummary("Archive a project (leads): no more work handed out, hidden from the list");

        group.MapPost("/{id:long}/unarchive", async (long id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            await projects.ArchiveAsync(user.ToCaller(), id, archived: false, ct);
            return TypedResults.NoContent();
        }).WithSummary("Bring an archived project back (leads)");

        group.MapGet("/{id:long}/schema", async (long id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            var project = await projects.GetAsync(user.ToCaller(), id, ct);
            return TypedResults.Ok(new { version = project.Summary.SchemaVersion, schema = LabelSchemaJson.ToJsonNode(project.Schema) });
        }).WithSummary("The current label schema and its version");

        group.MapPut("/{id:long}/schema", async (long id, UpdateSchemaRequest body, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            if (body.Schema is null)
            {
                throw ServiceException.Invalid("schema: the body needs the new label schema under \"schema\"", [new("schema", "is required")]);
            }

            var migrations = SchemaMigrationJson.Parse(body.Migrations);
            if (!migrations.IsValid)
            {
                throw ServiceException.Invalid(string.Join("; ", migrations.Errors), migrations.Errors.ToList());
            }

            var result = await projects.UpdateSchemaAsync(user.ToCaller(), id, body.Schema.ToJsonString(), migrations.Value, ct);
            return TypedResults.Ok(new
            {
                result.Version,
                result.Changed,
                result.Migrated,
                warnings = result.Warnings.Select(w => new { path = w.Path, message = w.Message }),
            });
        }).WithSummary("Save a new schema version {schema, migrations?}; 400 names the field at fault, 409 says how many annotations the change would orphan");

        group.MapGet("/{id:long}/members", async (long id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            var stats = await projects.StatsAsync(user.ToCaller(), id, ProjectService.DefaultThroughputDays, ct);
            return stats.Members is { } members
                ? Results.Ok(members)
                : throw ServiceException.Forbidden($"this needs the lead or reviewer role in project {id}");
        }).WithSummary("Members with their roles and progress (leads and reviewers)");

        group.MapPut("/{id:long}/members/{userId}", async (long id, string userId, SetRolesRequest body, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            var roles = new List<ProjectRole>();
            foreach (var name in body.Roles ?? [])
            {
                if (!ProjectService.TryParseRole(name, out var role))
                {
                    throw ServiceException.Invalid($"roles: \"{name}\" is not annotator, reviewer or lead", [new("roles", "each role is annotator, reviewer or lead")]);
                }

                roles.Add(role);
            }

            await projects.SetRolesAsync(user.ToCaller(), id, userId, roles, ct);
            return TypedResults.NoContent();
        }).WithSummary("Set the roles a member holds {roles: [...]} (leads)");

        group.MapDelete("/{id:long}/members/{userId}", async (long id, string userId, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            await projects.RemoveMemberAsync(user.ToCaller(), id, userId, ct);
            return TypedResults.NoContent();
        }).WithSummary("Remove a member (leads)");

        group.MapGet("/{id:long}/stats", async (long id, int? days, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            TypedResults.Ok(await projects.StatsAsync(user.ToCaller(), id, days ?? ProjectService.DefaultThroughputDays, ct)))
            .WithSummary("Progress: items, annotated to overlap, in review, final; throughput per day; median time per item; per-member work (leads and reviewers)");

        return group;
    }
}
