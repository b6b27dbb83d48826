using LabelBench.Core.Media;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.Media;

/// <summary>A media file in the store, validated, with what was derived from it.</summary>
public sealed record StoredMedia(string Hash, string ContentType, MediaKind Kind, int? Width, int? Height, double? DurationSeconds, string? ThumbnailHash, string? PeaksHash);

/// <summary>What bringing one media file in gave: the stored media, or why it was refused (the message names the file).</summary>
public sealed record MediaImportResult(StoredMedia? Media, string? Error)
{
    public static MediaImportResult Refused(string error) => new(null, error);
}

/// <summary>
/// Brings one media file into the store: stages it while hashing, checks type, size and header (<see cref="MediaProbe"/>),
/// decodes images (<see cref="ImageProcessor"/>: upright copy, thumbnail), computes WAV peaks, then commits every file
/// and records it as a <see cref="MediaObject"/>. A refused file leaves nothing behind.
/// </summary>
public sealed class MediaImporter(IMediaStore store, ImageProcessor images, IDbContextFactory<LabelBenchDbContext> dbFactory, IOptions<LabelBenchOptions> options, TimeProvider time)
{
    public MediaLimits Limits => options.Value.Media;

    /// <summary>Buffers a forward-only upload (an archive) in the store's staging area; null when it holds more than <paramref name="maxBytes"/>.</summary>
    public Task<StagedMedia?> BufferAsync(Stream content, long maxBytes, CancellationToken ct) => store.StageAsync(content, maxBytes, ct);

    /// <param name="name">The file name or archive path, for type checks and messages.</param>
    /// <param name="maxBytes">The most <paramref name="content"/> may hold.</param>
    /// <param name="oversize">The message when it holds more.</param>
    public async Task<MediaImportResult> ImportAsync(Stream content, string name, long maxBytes, string oversize, CancellationToken ct)
    {
        await using var staged = await store.StageAsync(content, maxBytes, ct);
        if (staged is null)
        {
            return MediaImportResult.Refused(oversize);
        }

        MediaProbeResult probe;
        await using (var read = staged.OpenRead())
        {
            probe = MediaProbe.Probe(read, name, Limits);
        }

        if (probe.Info is not { } info)
        {
            return MediaImportResult.Refused(probe.Error!);
        }

        var known = await KnownAsync(staged.Hash, ct);
        if (known is not null && known.ContentType == info.ContentType)
        {
            // Stored and validated before (by this content's hash): keep that copy and what was derived from it.
            return new MediaImportResult(known, null);
        }

        return info.Kind == MediaKind.Image
            ? await StoreImageAsync(staged, name, info, ct)
            : await StoreAudioAsync(staged, info, probe.Wav, ct);
    }

    private async Task<MediaImportResult> StoreImageAsync(StagedMedia staged, string name, MediaInfo info, CancellationToken ct)
    {
        var processed = await images.ProcessAsync(staged, info.ContentType, Limits, ct);
        await using var normalized = processed.Normalized;
        await using var thumbnail = processed.Thumbnail;
        if (processed.Error is not null)
        {
            return MediaImportResult.Refused($"{ArchivePath.Display(name)}: {processed.Error}");
        }

        var original = normalized ?? staged;
        var contentType = processed.NormalizedContentType ?? info.ContentType;
        var media = new StoredMedia(original.Hash, contentType, MediaKind.Image, processed.Width, processed.Height, null, thumbnail?.Hash, null);
        if (thumbnail is not null)
        {
            await store.CommitAsync(thumbnail, ct);
        }

        await store.CommitAsync(original, ct);
        await RecordAsync(media, thumbnail is null ? null : (thumbnail.Hash, processed.ThumbnailContentType!, thumbnail.Length), original.Length, ct);
        return new MediaImportResult(media, null);
    }

    private async Task<MediaImportResult> StoreAudioAsync(StagedMedia staged, MediaInfo info, WavFormat? wav, CancellationToken ct)
    {
        StagedMedia? peaks = null;
        try
        {
            if (wav is not null)
            {
                peaks = await store.StageAsync(
                    async (output, token) =>
                    {
                        await using var read = staged.OpenRead();
                        await WavPeaks.WriteJsonAsync(read, wav, output, WavPeaks.DefaultPeaksPerSecond, token);
                    },
                    ct);
                await store.CommitAsync(peaks, ct);
            }

            var media = new StoredMedia(staged.Hash, info.ContentType, MediaKind.Audio, null, null, info.DurationSeconds, null, peaks?.Hash);
            await store.CommitAsync(staged, ct);
            await RecordAsync(media, peaks is null ? null : (peaks.Hash, WavPeaks.ContentType, peaks.Length), staged.Length, ct);
            return new MediaImportResult(media, null);
        }
        finally
        {
            if (peaks is not null)
            {
                await peaks.DisposeAsync();
            }
        }
    }

    private async Task<StoredMedia?> KnownAsync(string hash, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.MediaObjects.AsNoTracking().SingleOrDefaultAsync(m => m.Hash == hash, ct);
        if (row is null || MediaTypes.KindOf(row.ContentType) is not { } kind
            || (kind == MediaKind.Image && row.ThumbnailHash is null)
            || await store.OpenReadAsync(hash, ct) is not { } stream)
        {
            return null;
        }

        await stream.DisposeAsync();
        return new StoredMedia(row.Hash, row.ContentType, kind, row.Width, row.Height, row.DurationSeconds, row.ThumbnailHash, row.PeaksHash);
    }

    /// <summary>Records the media and its derived file; a row another import added meanwhile is kept.</summary>
    private async Task RecordAsync(StoredMedia media, (string Hash, string ContentType, long Size)? derived, long size, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var rows = new List<MediaObject>
        {
            new()
            {
                Hash = media.Hash,
                ContentType = media.ContentType,
                Size = size,
                Width = media.Width,
                Height = media.Height,
                DurationSeconds = media.DurationSeconds,
                ThumbnailHash = media.ThumbnailHash,
                PeaksHash = media.PeaksHash,
                CreatedAt = now,
            },
        };
        if (derived is { } d)
        {
            rows.Add(new MediaObject { Hash = d.Hash, ContentType = d.ContentType, Size = d.Size, CreatedAt = now });
        }

        foreach (var row in rows)
        {
            var existing = await db.MediaObjects.FindAsync([row.Hash], ct);
            if (existing is null)
            {
                db.MediaObjects.Add(row);
            }
            else
            {
                // The same bytes may have been stored before as something derived (a thumbnail uploaded as an image).
                existing.Width ??= row.Width;
                existing.Height ??= row.Height;
                existing.DurationSeconds ??= row.DurationSeconds;
                existing.ThumbnailHash ??= row.ThumbnailHash;
                existing.PeaksHash ??= row.PeaksHash;
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent import recorded the same content; its row describes the same bytes.
        }
    }
}
