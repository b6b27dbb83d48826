using System.Security.Claims;
using LabelBench.Core.Agreement;
using LabelBench.Data.Services;
using LabelBench.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace LabelBench.Web.Api;

/// <summary><c>/api/v1/projects</c>: projects, members, items, the annotation queue, import and export.</summary>
public static class ProjectsEndpoints
{
    public static RouteGroupBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects")
            .RequireAuthorization(AuthPolicies.Api)
            .AddEndpointFilter<ServiceProblemFilter>()
            .DisableAntiforgery()
            .WithTags("Projects");

        group.MapGet("/", async (ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            TypedResults.Ok(await projects.ListAsync(user.ToCaller(), ct)))
            .WithSummary("The caller's projects");

        group.MapPost("/", async (CreateProjectRequest body, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            var draft = new ProjectDraft(
                body.Name ?? string.Empty,
                body.Schema?.ToJsonString() ?? string.Empty,
                body.Overlap ?? 1,
                body.Description,
                body.Guidelines,
                body.QueueOrder ?? "sequential",
                body.Blind ?? true,
                body.ShowPredictions ?? true,
                body.MaxOverlap,
                body.LeaseMinutes ?? LabelBench.Core.Queue.LeasePolicy.DefaultMinutes);
            var id = await projects.CreateAsync(user.ToCaller(), draft, ct);
            return TypedResults.Created($"/api/v1/projects/{id}", new CreatedResponse(id));
        }).WithSummary("Create a project {name, schema, overlap}");

        group.MapGet("/{id:long}", async (long id, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            var p = await projects.GetAsync(user.ToCaller(), id, ct);
            return TypedResults.Ok(new
            {
                p.Summary.Id,
                p.Summary.Name,
                p.Summary.Description,
                schema = System.Text.Json.Nodes.JsonNode.Parse(p.SchemaJson),
                p.Summary.SchemaVersion,
                settings = p.Settings,
                guidelines = p.Guidelines,
                progress = new
                {
                    items = p.Summary.Items,
                    complete = p.Summary.ItemsComplete,
                    inReview = p.Summary.ItemsInReview,
                    final = p.Summary.ItemsFinal,
                    submitted = p.Summary.Submitted,
                },
                roles = p.Summary.MyRoles,
            });
        }).WithSummary("A project with schema, settings and progress counts");

        group.MapPost("/{id:long}/members", async (long id, AddMemberRequest body, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
        {
            if (!ProjectService.TryParseRole(body.Role, out var role))
            {
                throw ServiceException.Invalid($"role must be annotator, reviewer or lead, not \"{body.Role}\"", [new("role", "must be annotator, reviewer or lead")]);
            }

            await projects.AddMemberAsync(user.ToCaller(), id, body.Email ?? string.Empty, role, ct);
            return TypedResults.NoContent();
        }).WithSummary("Add a member {email, role}");

        group.MapGet("/{id:long}/items", async (long id, int? page, int? pageSize, ClaimsPrincipal user, ItemService items, CancellationToken ct) =>
            TypedResults.Ok(await items.PageAsync(user.ToCaller(), id, page ?? 1, pageSize ?? 50, ct)))
            .WithSummary("Paged items with status");

        group.MapPost("/{id:long}/import", async (long id, HttpRequest request, ClaimsPrincipal user, ImportService import, CancellationToken ct) =>
        {
            if (!request.HasFormContentType)
            {
                throw ServiceException.Invalid("send the files as multipart/form-data");
            }

            var form = await request.ReadFormAsync(ct);
            if (form.Files.Count == 0)
            {
                throw ServiceException.Invalid("the request has no files", [new("files", "attach one or more files")]);
            }

            var files = form.Files.Select(f => new ImportFile(f.FileName, f.Length, f.OpenReadStream)).ToList();
            return TypedResults.Ok(await import.ImportAsync(user.ToCaller(), id, files, ct: ct));
        }).WithSummary("Import CSV, JSONL, media files or zip archives")
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .WithFormOptions(multipartBodyLengthLimit: 8L * 1024 * 1024 * 1024);

        group.MapGet("/{id:long}/next", async Task<IResult> (long id, ClaimsPrincipal user, QueueService queue, CancellationToken ct) =>
        {
            var next = await queue.NextAsync(user.ToCaller(), id, ct);
            return next is null
                ? TypedResults.NoContent()
                : TypedResults.Ok(new { next.ItemId, next.ExternalId, next.Data, next.Predictions, next.LeaseExpiresAt, draft = next.Draft });
        }).WithSummary("The caller's next item, 204 when none is left");

        group.MapPost("/{id:long}/items/{itemId:long}/annotations", async Task<IResult> (
            long id, long itemId, SubmitAnnotationRequest body, [FromHeader(Name = "Idempotency-Key")] string? keyHeader,
            ClaimsPrincipal user, QueueService queue, CancellationToken ct) =>
        {
            var outcome = await queue.SubmitAsync(user.ToCaller(), id, itemId, body.Result, body.TimeSpentMs ?? 0, keyHeader ?? body.IdempotencyKey, ct);
            var response = new SubmitAnnotationResponse(outcome.AnnotationId, outcome.Created);
            return outcome.Created ? TypedResults.Created($"/api/v1/projects/{id}/items/{itemId}/annotations/{outcome.AnnotationId}", response) : TypedResults.Ok(response);
        }).WithSummary("Submit {result, timeSpentMs}; 400 if invalid for the schema, 409 if already submitted");

        group.MapPut("/{id:long}/items/{itemId:long}/draft", async (long id, long itemId, SaveDraftRequest body, ClaimsPrincipal user, QueueService queue, CancellationToken ct) =>
        {
            await queue.SaveDraftAsync(user.ToCaller(), id, itemId, body.Result ?? [], body.TimeSpentMs ?? 0, ct);
            return TypedResults.NoContent();
        }).WithSummary("Autosave a draft");

        group.MapPost("/{id:long}/items/{itemId:long}/skip", async (long id, long itemId, ClaimsPrincipal user, QueueService queue, CancellationToken ct) =>
        {
            await queue.SkipAsync(user.ToCaller(), id, itemId, ct);
            return TypedResults.NoContent();
        }).WithSummary("Skip an item");

        group.MapGet("/{id:long}/annotations/mine", async (long id, int? take, ClaimsPrincipal user, QueueService queue, CancellationToken ct) =>
            TypedResults.Ok(await queue.HistoryAsync(user.ToCaller(), id, take ?? 20, ct)))
            .WithSummary("The caller's last submissions in the project, newest first (take 1..50, default 20)");

        group.MapGet("/{id:long}/items/{itemId:long}/annotations/mine", async (long id, long itemId, ClaimsPrincipal user, QueueService queue, CancellationToken ct) =>
            TypedResults.Ok(await queue.SubmittedAsync(user.ToCaller(), id, itemId, ct)))
            .WithSummary("The caller's submitted annotation of an item, with the item; 404 if they have none");

        group.MapPut("/{id:long}/items/{itemId:long}/annotations/mine", async (long id, long itemId, CorrectAnnotationRequest body, ClaimsPrincipal user, QueueService queue, CancellationToken ct) =>
            TypedResults.Ok(new CorrectAnnotationResponse(await queue.EditSubmittedAsync(user.ToCaller(), id, itemId, body.Result, body.TimeSpentMs ?? 0, ct))))
            .WithSummary("Correct the caller's submitted annotation {result, timeSpentMs}; 400 if invalid, 404 if none, 409 once the item is adjudicated");

        group.MapGet("/{id:long}/agreement", async (long id, string? field, bool? fresh, ClaimsPrincipal user, AgreementService agreement, CancellationToken ct) =>
            TypedResults.Ok(await agreement.DashboardAsync(user.ToCaller(), id, field, fresh ?? false, ct)))
            .WithSummary("Agreement and quality figures of a label field (default: the first choices or rating field); answered at once from the last " +
                "computation (\"stale\": true while newer annotations are being counted in the background), or with ?fresh=true after counting every annotation");

        group.MapGet("/{id:long}/agreement/{table}.csv", async (long id, string table, string? field, bool? fresh, HttpContext http, ClaimsPrincipal user, AgreementService agreement, CancellationToken ct) =>
        {
            if (!AgreementDashboardCsv.Tables.Contains(table))
            {
                throw ServiceException.Invalid($"table: \"{table}\" is not one of {string.Join(", ", AgreementDashboardCsv.Tables)}");
            }

            var result = await agreement.DashboardAsync(user.ToCaller(), id, field, fresh ?? false, ct);
            if (result.Dashboard is null)
            {
                throw ServiceException.Invalid(result.Message ?? "no agreement figures yet");
            }

            await using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            AgreementDashboardCsv.Write(result.Dashboard, table, writer, u => result.AnnotatorNames.GetValueOrDefault(u, u));
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(writer.ToString()), "text/csv; charset=utf-8", $"project-{id}-{table}.csv");
        }).WithSummary("One table of the agreement dashboard as CSV");

        group.MapGet("/{id:long}/export", async (
            long id, string? format, string? source, string? split, string? label, string? from, string? to, string? annotator,
            HttpContext http, ClaimsPrincipal user, ExportService export, CancellationToken ct) =>
        {
            var request = ExportRequest.Parse(format, source, split, label, from, to, annotator);
            var meta = await export.PrepareAsync(user.ToCaller(), id, request, ct);
            // Zip and XML writers may flush a last block synchronously; a download is worth the blocked thread.
            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } body)
            {
                body.AllowSynchronousIO = true;
            }

            http.Response.ContentType = meta.ContentType;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{meta.FileName}\"";
            // Says whether the file names annotators (the lead can turn pseudonyms off).
            http.Response.Headers["X-Annotator-Identities"] = meta.AnnotatorsPseudonymised ? "pseudonymised" : "included";
            await export.WriteAsync(user.ToCaller(), id, request, http.Response.Body, ct);
            return Results.Empty;
        }).WithSummary("The dataset as a download: format, source (final, majority, dawid-skene, all) and filters split, label, from, to, annotator");

        group.MapProjectSetupApi();
        return group;
    }
}
