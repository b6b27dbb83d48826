using System.Security.Claims;
using LabelBench.Data.Services;
using LabelBench.Web.Auth;

namespace LabelBench.Web.Api;

/// <summary>Body of <c>POST /api/v1/projects/{id}/exports</c>.</summary>
public sealed record CreateSnapshotRequest(string? Name, string? Format, string? Source, SnapshotFilters? Filters);

/// <summary>The filters of a snapshot request; all optional.</summary>
public sealed record SnapshotFilters(string? Split, string? Label, string? From, string? To, string? Annotator);

/// <summary><c>/api/v1/projects/{id}/exports</c>: named, immutable export snapshots with a manifest and checksums.</summary>
public static class ExportsEndpoints
{
    public static RouteGroupBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects/{id:long}/exports")
            .RequireAuthorization(AuthPolicies.Api)
            .AddEndpointFilter<ServiceProblemFilter>()
            .DisableAntiforgery()
            .WithTags("Exports");

        group.MapPost("/", async (long id, CreateSnapshotRequest body, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
        {
            var f = body.Filters;
            var request = ExportRequest.Parse(body.Format, body.Source, f?.Split, f?.Label, f?.From, f?.To, f?.Annotator);
            var snapshot = await snapshots.CreateAsync(user.ToCaller(), id, body.Name, request, ct);
            return TypedResults.Created($"/api/v1/projects/{id}/exports/{snapshot.Id}", snapshot);
        }).WithSummary("Save a named snapshot {name, format, source, filters}; 201 with status running, written in the background");

        group.MapGet("/", async (long id, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
            TypedResults.Ok(await snapshots.ListAsync(user.ToCaller(), id, ct)))
            .WithSummary("The project's snapshots, newest first, with status, progress and files");

        group.MapGet("/{snapshotId:long}", async (long id, long snapshotId, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
            TypedResults.Ok(await snapshots.GetAsync(user.ToCaller(), id, snapshotId, ct)))
            .WithSummary("One snapshot");

        group.MapGet("/{snapshotId:long}/manifest", async (long id, long snapshotId, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
        {
            var file = await snapshots.OpenFileAsync(user.ToCaller(), id, snapshotId, ExportSnapshotService.ManifestName, ct);
            return Results.Stream(file.Content, file.ContentType);
        }).WithSummary("The snapshot's manifest.json: project, schema version, filters, counts, agreement, and the SHA-256 of each file");

        group.MapGet("/{snapshotId:long}/files/{name}", async (long id, long snapshotId, string name, ClaimsPrincipal user, ExportSnapshotService snapshots, CancellationToken ct) =>
        {
            var file = await snapshots.OpenFileAsync(user.ToCaller(), id, snapshotId, name, ct);
            return Results.Stream(file.Content, file.ContentType, $"project-{id}-snapshot-{snapshotId}-{file.FileName}", enableRangeProcessing: true);
        }).WithSummary("Download a snapshot file: the same bytes every time");

        return group;
    }
}
