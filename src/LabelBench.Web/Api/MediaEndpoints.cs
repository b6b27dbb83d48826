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

        group.MapPut("/{id:long}/items/{itemId:long}/media/peaks", async Task<IResult> (long id, long itemId, HttpRequest request, ClaimsPrincipal user, MediaService media, CancellationToken ct) =>
        {
            if (request.ContentLength > Core.Media.BrowserPeaks.MaxBytes)
            {
                throw ServiceException.Invalid($"peaks: the body is larger than {Core.Media.BrowserPeaks.MaxBytes} bytes", [new("body", "at most 32 MB")]);
            }

            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            if (buffer.Length > Core.Media.BrowserPeaks.MaxBytes)
            {
                throw ServiceException.Invalid($"peaks: the body is larger than {Core.Media.BrowserPeaks.MaxBytes} bytes", [new("body", "at most 32 MB")]);
            }

            await media.StorePeaksAsync(user.ToCaller(), id, itemId, buffer.ToArray(), ct);
            return TypedResults.NoContent();
        })
            .WithSummary("Waveform peaks a member's browser computed for MP3/OGG/FLAC audio ({duration, peaksPerSecond, peaks: [min, max, ...]}), " +
                "checked against the file's duration and served as ?variant=peaks from then on; 409 once stored (a lead may replace them), 409 for WAV")
            .Accepts<object>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return group;
    }
}
