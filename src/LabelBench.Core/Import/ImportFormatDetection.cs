namespace LabelBench.Core.Import;

/// <summary>The outcome of <see cref="ImportFormatDetector.Detect"/>: a format and media type, or why the file cannot be imported.</summary>
/// <param name="MediaType">For media and archives, the type the content has (e.g. <c>image/png</c>), whatever the file name says.</param>
public sealed record ImportFormatDetection(ImportFormat Format, string? MediaType, string? Error)
{
    public bool IsSupported => Error is null && Format != ImportFormat.Unknown;

    internal static ImportFormatDetection Of(ImportFormat format, string? mediaType = null) => new(format, mediaType, null);

    internal static ImportFormatDetection Refused(string error) => new(ImportFormat.Unknown, null, error);
}
