using System.Security.Claims;
using LabelBench.Data.Services;
using LabelBench.Web.Auth;
using Microsoft.Net.Http.Headers;

namespace LabelBench.Web.Api;

/// <summary><c>GET /api/v1/projects/{id}/items/{itemId}/media</c>: an item's image or audio, its thumbnail or waveform peaks, for project members only.</summary>
public static class MediaEndpoints
{
    public static RouteGroupBuilder MapMediaApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects")
            .RequireAuthorization(AuthPolicies.Api)
            .AddEndpointFilter<ServiceProblemFilter>()
            .WithTags("Media");

        group.MapGet("/{id:long}/items/{itemId:long}/media", async Task<IResult> (long id, long itemId, string? variant, HttpContext http, ClaimsPrincipal user, MediaService media, CancellationToken ct) =>
        {
            if (!MediaService.TryParseVariant(variant, out var which))
            {
                throw ServiceException.Invalid($"variant must be original, thumbnail or peaks, not \"{variant}\"", [new("variant", "original, thumbnail or peaks")]);
            }

            var content = await media.OpenAsync(user.ToCaller(), id, itemId, which, ct);
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            // Only the member's browser may keep a copy; the ETag (the content hash) makes revalidation cheap.
            headers.CacheControl = "private";
            // Opened directly, the file runs nothing and loads nothing.
            headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            return TypedResults.File(content.Content, content.ContentType, entityTag: new EntityTagHeaderValue($"\"{content.Hash}\""), enableRangeProcessing: true);
        })
            .WithSummary("An item's media (image or audio), or with ?variant=thumbnail|peaks its thumbnail or waveform peaks; supports range requests")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }
}
