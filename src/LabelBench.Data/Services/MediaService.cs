using LabelBench.Core.Media;
using LabelBench.Data.Media;
using LabelBench.Data.Entities;
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
public sealed class MediaService(IDbContextFactory<LabelBenchDbContext> dbFactory, IMediaStore store, TimeProvider time)
{
    /// <summary>
    /// Stores waveform peaks a member's browser computed for audio the server cannot decode (MP3, OGG, FLAC), after
    /// <see cref="BrowserPeaks"/> checked them against the file's duration, so later opens draw at once. The first
    /// member to send them wins (409 after that); a lead may replace them. WAV peaks are the server's own.
    /// </summary>
    public async Task StorePeaksAsync(Caller caller, long projectId, long itemId, byte[] body, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Annotator, ProjectRole.Reviewer, ProjectRole.Lead);
        var item = await db.Items.AsNoTracking()
            .Where(i => i.Id == itemId && i.ProjectId == projectId && !i.Pending)
            .Select(i => new { i.MediaHash, i.MediaType })
            .SingleOrDefaultAsync(ct)
            ?? throw ServiceException.NotFound($"item {itemId} does not exist in project {projectId}");
        if (item.MediaHash is null || !IsAudio(item.MediaType))
        {
            throw ServiceException.Invalid($"item {itemId} has no audio, so it has no waveform peaks", [new("itemId", "an item with audio")]);
        }

        var media = await db.MediaObjects.SingleAsync(m => m.Hash == item.MediaHash, ct);
        if (string.Equals(media.ContentType, MediaTypes.Wav, StringComparison.OrdinalIgnoreCase))
        {
            throw ServiceException.Conflict($"item {itemId} is a WAV; its peaks are computed by the server at import");
        }

        if (media.PeaksHash is not null && !roles.Contains(ProjectRole.Lead))
        {
            throw ServiceException.Conflict($"item {itemId} already has waveform peaks; a lead may replace them");
        }

        byte[] peaks;
        try
        {
            peaks = BrowserPeaks.Normalise(body, media.DurationSeconds);
        }
        catch (BrowserPeaksException ex)
        {
            throw ServiceException.Invalid($"peaks of item {itemId}: {ex.Message}", [new(ex.Field, ex.Message)]);
        }

        await using var staged = await store.StageAsync((stream, token) => stream.WriteAsync(peaks, token).AsTask(), ct);
        await store.CommitAsync(staged, ct);
        if (await db.MediaObjects.FindAsync([staged.Hash], ct) is null)
        {
            db.MediaObjects.Add(new MediaObject { Hash = staged.Hash, ContentType = WavPeaks.ContentType, Size = peaks.Length, CreatedAt = time.GetUtcNow() });
        }

        media.PeaksHash = staged.Hash;
        await db.SaveChangesAsync(ct);
    }


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
                        : $"item {itemId} has no precomputed peaks (WAV audio has them from the import; other formats once a member's browser has sent them)");
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
