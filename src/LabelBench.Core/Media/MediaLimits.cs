namespace LabelBench.Core.Media;

/// <summary>
/// How large uploaded media and archives may be. Each limit is checked before the expensive step it protects: image
/// dimensions from the header before decoding, declared archive sizes before reading an entry, counted bytes while
/// reading (declared sizes can lie).
/// </summary>
public sealed record MediaLimits
{
    public static MediaLimits Default { get; } = new();

    /// <summary>Decoded pixels of one image (100 MP: an 8000×6000 photo passes; a decompression bomb does not).</summary>
    public long MaxImagePixels { get; init; } = 100_000_000;

    /// <summary>Longest side of an image, in pixels.</summary>
    public int MaxImageSide { get; init; } = 30_000;

    public long MaxImageBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>About 1.6 hours of 48 kHz stereo 16-bit WAV, or days of MP3.</summary>
    public long MaxAudioBytes { get; init; } = 1024L * 1024 * 1024;

    public double MaxAudioSeconds { get; init; } = 24 * 3600;

    public int MaxAudioChannels { get; init; } = 32;

    /// <summary>The size of one zip archive as uploaded.</summary>
    public long MaxArchiveBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Entries (files and folders) in one zip archive.</summary>
    public int MaxArchiveEntries { get; init; } = 100_000;

    /// <summary>The sum of all entries' uncompressed sizes.</summary>
    public long MaxArchiveUncompressedBytes { get; init; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Uncompressed ÷ compressed size of one entry. Media is already compressed (ratio near 1); zip bombs reach 1000 and more.</summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Entries smaller than this are not held to <see cref="MaxCompressionRatio"/>: a small file that packs well is harmless.</summary>
    public long CompressionRatioFloorBytes { get; init; } = 1024 * 1024;

    public long MaxBytes(MediaKind kind) => kind == MediaKind.Image ? MaxImageBytes : MaxAudioBytes;

    /// <summary>The largest media file of any kind.</summary>
    public long MaxMediaBytes => Math.Max(MaxImageBytes, MaxAudioBytes);
}
