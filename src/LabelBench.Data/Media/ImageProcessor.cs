using LabelBench.Core.Media;
using SkiaSharp;

namespace LabelBench.Data.Media;

/// <summary>What decoding an image gave: its displayed size, a re-encoded copy when EXIF orientation had to be applied, and a thumbnail.</summary>
/// <param name="Normalized">Set when the stored pixels had to be turned upright; store this instead of the original.</param>
public sealed record ProcessedImage(string? Error, int Width, int Height, StagedMedia? Normalized, string? NormalizedContentType, StagedMedia? Thumbnail, string? ThumbnailContentType)
{
    public static ProcessedImage Refused(string error) => new(error, 0, 0, null, null, null, null);
}

/// <summary>
/// Decodes images with SkiaSharp after <see cref="MediaProbe"/> has checked their header against the limits: what
/// does not decode completely is refused; EXIF orientation is applied by re-encoding an upright copy, so stored pixels
/// are displayed pixels and box coordinates mean the same everywhere; a thumbnail is made for lists.
/// </summary>
public sealed class ImageProcessor(IMediaStore store) : IDisposable
{
    public const int ThumbnailSide = 256;
    private const int JpegQuality = 92;
    private const int ThumbnailQuality = 80;

    // Decoding holds width × height × 4 bytes (400 MB at the 100 MP limit): one image at a time.
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<ProcessedImage> ProcessAsync(StagedMedia source, string contentType, MediaLimits limits, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            using var input = source.OpenRead();
            using var codec = SKCodec.Create(input, out var created);
            if (codec is null)
            {
                return ProcessedImage.Refused($"the image does not decode ({Describe(created)})");
            }

            var info = codec.Info;
            if (MediaProbe.CheckImageSize(info.Width, info.Height, limits) is { } tooLarge)
            {
                return ProcessedImage.Refused(tooLarge);
            }

            var alpha = info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
            var decodeInfo = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, alpha);
            using var decoded = new SKBitmap();
            if (!decoded.TryAllocPixels(decodeInfo))
            {
                return ProcessedImage.Refused($"not enough memory to decode {info.Width}×{info.Height} pixels");
            }

            var result = codec.GetPixels(decodeInfo, decoded.GetPixels());
            if (result != SKCodecResult.Success)
            {
                return ProcessedImage.Refused($"the image does not decode ({Describe(result)})");
            }

            var origin = codec.EncodedOrigin;
            using var upright = origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default ? null : Orient(decoded, origin);
            var shown = upright ?? decoded;
            StagedMedia? normalized = null;
            string? normalizedType = null;
            if (upright is not null)
            {
                // Skia encodes PNG, JPEG and WebP; EXIF orientation only occurs in those.
                var (format, type) = contentType switch
                {
                    MediaTypes.Png => (SKEncodedImageFormat.Png, MediaTypes.Png),
                    MediaTypes.Webp => (SKEncodedImageFormat.Webp, MediaTypes.Webp),
                    _ => (SKEncodedImageFormat.Jpeg, MediaTypes.Jpeg),
                };
                normalized = await EncodeAsync(shown, format, JpegQuality, ct);
                normalizedType = type;
            }

            var thumbnailType = shown.AlphaType == SKAlphaType.Opaque ? MediaTypes.Jpeg : MediaTypes.Png;
            using var small = Thumbnail(shown);
            var thumbnail = await EncodeAsync(small, thumbnailType == MediaTypes.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, ThumbnailQuality, ct);
            return new ProcessedImage(null, shown.Width, shown.Height, normalized, normalizedType, thumbnail, thumbnailType);
        }
        finally
        {
            gate.Release();
        }
    }

    private Task<StagedMedia> EncodeAsync(SKBitmap bitmap, SKEncodedImageFormat format, int quality, CancellationToken ct) =>
        store.StageAsync(
            (stream, _) =>
            {
                if (!bitmap.Encode(stream, format, quality))
                {
                    throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}×{bitmap.Height} image as {format}.");
                }

                return Task.CompletedTask;
            },
            ct);

    /// <summary>Scales so the longest side is at most <see cref="ThumbnailSide"/>, with mipmaps so large reductions do not alias.</summary>
    private static SKBitmap Thumbnail(SKBitmap source)
    {
        var scale = Math.Min(1.0, ThumbnailSide / (double)Math.Max(source.Width, source.Height));
        var width = Math.Max(1, (int)Math.Round(source.Width * scale));
        var height = Math.Max(1, (int)Math.Round(source.Height * scale));
        var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, source.AlphaType));
        using var canvas = new SKCanvas(target);
        using var image = SKImage.FromBitmap(source);
        canvas.Clear(SKColors.Transparent);
        canvas.DrawImage(image, SKRect.Create(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return target;
    }

    /// <summary>Draws <paramref name="source"/> upright according to its EXIF orientation (rotations swap width and height).</summary>
    internal static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var width = swap ? source.Height : source.Width;
        var height = swap ? source.Width : source.Height;
        float w = width, h = height;
        // x' = scaleX·x + skewX·y + transX;  y' = skewY·x + scaleY·y + transY
        var matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, w, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, w, -1, 0, h, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, h, 0, 0, 1),
            _ => SKMatrix.Identity,
        };
        var target = new SKBitmap(new SKImageInfo(width, height, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(target);
        canvas.SetMatrix(matrix);
        canvas.DrawBitmap(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return target;
    }

    public void Dispose() => gate.Dispose();

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the image data is truncated",
        SKCodecResult.ErrorInInput => "the image data is corrupt",
        SKCodecResult.Unimplemented => "this variant of the format is not supported",
        _ => $"decoder said {result}",
    };
}
