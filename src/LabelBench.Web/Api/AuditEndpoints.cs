using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CsvHelper;
using LabelBench.Core.Export;
using LabelBench.Data.Services;
using LabelBench.Web.Auth;

namespace LabelBench.Web.Api;

/// <summary>A project's audit trail: <c>GET /api/v1/projects/{id}/audit</c> (paged) and <c>/audit/export?format=csv|jsonl</c>.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects/{id:long}/audit")
            .RequireAuthorization(AuthPolicies.Api)
            .AddEndpointFilter<ServiceProblemFilter>()
            .WithTags("Audit");

        group.MapGet("/", async (long id, string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
                ClaimsPrincipal user, AuditService audit, CancellationToken ct) =>
            TypedResults.Ok(await audit.ListAsync(user.ToCaller(), id, new AuditFilter(action, actor, from, to, page ?? 1, pageSize ?? 100), ct)))
            .WithSummary("Audit events of the project, newest first");

        group.MapGet("/export", async (long id, string? format, string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to,
            HttpContext http, ClaimsPrincipal user, AuditService audit, CancellationToken ct) =>
        {
            format = (format ?? "jsonl").ToLowerInvariant();
            if (format is not ("csv" or "jsonl"))
            {
                throw ServiceException.Invalid($"format: \"{format}\" is not csv or jsonl");
            }

            var filter = new AuditFilter(action, actor, from, to);
            // Check access before the first byte goes out, so a refusal is still a problem response.
            await audit.ListAsync(user.ToCaller(), id, filter with { PageSize = 1 }, ct);
            http.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"project-{id}-audit.{format}\"";
            var events = audit.ExportAsync(user.ToCaller(), id, filter, ct);
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), leaveOpen: true);
            if (format == "jsonl")
            {
                await foreach (var e in events)
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(e, JsonDefaults.Compact));
                }
            }
            else
            {
                await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
                foreach (var h in new[] { "sequence", "at", "actor", "action", "entity_type", "entity_id", "before", "after", "reason", "hash" })
                {
                    csv.WriteField(h);
                }

                await csv.NextRecordAsync();
                await foreach (var e in events)
                {
                    csv.WriteField(e.Sequence.ToString(CultureInfo.InvariantCulture));
                    csv.WriteField(e.At.ToString("O", CultureInfo.InvariantCulture));
                    foreach (var cell in new[] { e.Actor, e.Action, e.EntityType, e.EntityId, e.Before, e.After, e.Reason })
                    {
                        csv.WriteField(SpreadsheetCell.Neutralise(cell ?? string.Empty));
                    }

                    csv.WriteField(e.Hash);
                    await csv.NextRecordAsync();
                }
            }

            return Results.Empty;
        }).WithSummary("The project's audit events for an auditor, as CSV or JSONL");

        return group;
    }
}
