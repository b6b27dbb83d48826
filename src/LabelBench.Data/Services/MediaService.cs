using LabelBench.Core.Media;
using LabelBench.Data.Media;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>Which file of an item's media: the media itself, its thumbnail (images) or its waveform peaks (WAV).</summary>
public enum MediaVariant
{
    Original,
    Thumbnail,
    Peaks,
}

/// <summary>A stored media file opened for serving; the caller disposes <see cref="Content"/>.</summary>
/// <param name="Hash">The SHA-256 the content is stored under, a strong validator (ETag).</param>
public sealed record MediaContent(Stream Content, string ContentType, string Hash) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>Serves an item's media to the members of its project, and to nobody else.</summary>
public sealed class MediaService(IDbContextFactory<LabelBenchDbContext> dbFactory, IMediaStore store)
{
    public static bool TryParseVariant(string? value, out MediaVariant variant)
    {
        variant = value switch
        {
            null or "" or "original" => MediaVariant.Original,
            "thumbnail" => MediaVariant.Thumbnail,
            "peaks" => MediaVariant.Peaks,
            _ => (MediaVariant)(-1),
        };
        return Enum.IsDefined(variant);
    }

    /// <summary>Opens an item's media for any member of the project; NotFound for non-members and for items without that media.</summary>
    public async Task<MediaContent> OpenAsync(Caller caller, long projectId, long itemId, MediaVariant variant, CancellationToken ct = default)
    {
        string hash;
        string contentType;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RolesAsync(db, caller, projectId, ct);
            var item = await db.Items.AsNoTracking()
                .Where(i => i.Id == itemId && i.ProjectId == projectId && !i.Pending)
                .Select(i => new { i.MediaHash, i.MediaType })
                .SingleOrDefaultAsync(ct)
                ?? throw ServiceException.NotFound($"item {itemId} does not exist in project {projectId}");
            if (item.MediaHash is null || item.MediaType is null)
            {
                throw ServiceException.NotFound($"item {itemId} has no media");
            }

            (hash, contentType) = (item.MediaHash, item.MediaType);
            if (variant != MediaVariant.Original)
            {
                var derived = await db.MediaObjects.AsNoTracking()
                    .Where(m => m.Hash == item.MediaHash)
                    .Select(m => variant == MediaVariant.Thumbnail ? m.ThumbnailHash : m.PeaksHash)
                    .SingleOrDefaultAsync(ct);
                var type = derived is null ? null : await db.MediaObjects.AsNoTracking().Where(m => m.Hash == derived).Select(m => m.ContentType).SingleOrDefaultAsync(ct);
                if (derived is null || type is null)
                {
                    throw ServiceException.NotFound(variant == MediaVariant.Thumbnail
                        ? $"item {itemId} has no thumbnail (only images have one)"
                        : $"item {itemId} has no precomputed peaks (only WAV audio has them; compute peaks in the browser for other formats)");
                }

                (hash, contentType) = (derived, type);
            }
        }

        var content = await store.OpenReadAsync(hash, ct)
            ?? throw ServiceException.NotFound($"the media of item {itemId} is missing from the media store");
        return new MediaContent(content, contentType, hash);
    }

    /// <summary>The browser URL of an item's media (served by the web app's media endpoint).</summary>
    public static string Url(long projectId, long itemId, MediaVariant variant = MediaVariant.Original) => variant switch
    {
        MediaVariant.Thumbnail => $"/api/v1/projects/{projectId}/items/{itemId}/media?variant=thumbnail",
        MediaVariant.Peaks => $"/api/v1/projects/{projectId}/items/{itemId}/media?variant=peaks",
        _ => $"/api/v1/projects/{projectId}/items/{itemId}/media",
    };

    /// <summary>True when a content type is one this service serves as a picture (for UIs choosing <c>img</c> or <c>audio</c>).</summary>
    public static bool IsImage(string? contentType) => MediaTypes.KindOf(contentType) == MediaKind.Image;

    public static bool IsAudio(string? contentType) => MediaTypes.KindOf(contentType) == MediaKind.Audio;
}
