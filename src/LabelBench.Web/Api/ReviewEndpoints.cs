using System.Security.Claims;
using System.Text.Json.Nodes;
using LabelBench.Data.Services;
using LabelBench.Web.Auth;

namespace LabelBench.Web.Api;

/// <summary>Body of <c>POST .../adjudication</c>: <c>{acceptAnnotationId}</c>, or <c>{result, reason}</c> (override) or <c>{result, basedOnAnnotationId}</c> (merge).</summary>
public sealed record AdjudicationBody(long? AcceptAnnotationId, JsonObject? Result, string? Reason, long? BasedOnAnnotationId, Guid? ExpectedVersion);

/// <summary>Body of <c>POST .../send-back</c>.</summary>
public sealed record SendBackBody(long AnnotationId, string? Comment);

/// <summary>Body of <c>POST .../flag</c>.</summary>
public sealed record FlagBody(string? Comment);

/// <summary>Review and adjudication routes under <c>/api/v1/projects/{id}</c>.</summary>
public static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects/{id:long}")
            .RequireAuthorization(AuthPolicies.Api)
            .AddEndpointFilter<ServiceProblemFilter>()
            .DisableAntiforgery()
            .WithTags("Review");

        group.MapGet("/review/queue", async (long id, string? label, string? annotator, double? minDisagreement, bool? flagged, int? page, int? pageSize,
                ClaimsPrincipal user, ReviewService review, CancellationToken ct) =>
            TypedResults.Ok(await review.QueueAsync(user.ToCaller(), id, new ReviewQueueFilter(label, annotator, minDisagreement, flagged ?? false, page ?? 1, pageSize ?? 50), ct)))
            .WithSummary("Items needing review, most disagreement first (flagged items before the rest)");

        group.MapGet("/review/items/{itemId:long}", async (long id, long itemId, ClaimsPrincipal user, ReviewService review, CancellationToken ct) =>
            TypedResults.Ok(await review.ItemAsync(user.ToCaller(), id, itemId, ct)))
            .WithSummary("Every annotator's result for an item, side by side, with the disagreement per field");

        group.MapPost("/items/{itemId:long}/adjudication", async (long id, long itemId, AdjudicationBody body, ClaimsPrincipal user, ReviewService review, CancellationToken ct) =>
            TypedResults.Ok(await review.AdjudicateAsync(user.ToCaller(), id, itemId,
                new AdjudicationRequest(body.AcceptAnnotationId, body.Result, body.Reason, body.BasedOnAnnotationId, body.ExpectedVersion), ct)))
            .WithSummary("The final decision: {acceptAnnotationId} or {result, reason}; 409 when another reviewer decided meanwhile");

        group.MapPost("/items/{itemId:long}/send-back", async (long id, long itemId, SendBackBody body, ClaimsPrincipal user, ReviewService review, CancellationToken ct) =>
        {
            await review.SendBackAsync(user.ToCaller(), id, itemId, body.AnnotationId, body.Comment ?? string.Empty, ct);
            return TypedResults.NoContent();
        }).WithSummary("Return an annotation to its annotator with a comment");

        group.MapPost("/items/{itemId:long}/flag", async (long id, long itemId, FlagBody body, ClaimsPrincipal user, ReviewService review, CancellationToken ct) =>
        {
            await review.FlagAsync(user.ToCaller(), id, itemId, body.Comment, ct);
            return TypedResults.NoContent();
        }).WithSummary("An annotator flags an item for review, with a comment");

        return group;
    }
}
