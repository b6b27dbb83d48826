namespace LabelBench.Core.Media;

/// <summary>The media types LabelBench accepts, by file extension.</summary>
public static class MediaTypes
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string Webp = "image/webp";
    public const string Wav = "audio/wav";
    public const string Mpeg = "audio/mpeg";
    public const string Ogg = "audio/ogg";
    public const string Flac = "audio/flac";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = Png,
        [".jpg"] = Jpeg,
        [".jpeg"] = Jpeg,
        [".gif"] = Gif,
        [".webp"] = Webp,
        [".wav"] = Wav,
        [".mp3"] = Mpeg,
        [".ogg"] = Ogg,
        [".oga"] = Ogg,
        [".opus"] = Ogg,
        [".flac"] = Flac,
    };

    /// <summary>The media type a file name's extension promises, or null when it is not a media extension.</summary>
    public static string? FromFileName(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : null;

    public static MediaKind? KindOf(string? contentType) => contentType switch
    {
        null => null,
        _ when contentType.StartsWith("image/", StringComparison.Ordinal) => MediaKind.Image,
        _ when contentType.StartsWith("audio/", StringComparison.Ordinal) => MediaKind.Audio,
        _ => null,
    };

    public static string Describe(IEnumerable<string>? extensions = null) =>
        string.Join(", ", (extensions ?? ByExtension.Keys).Order(StringComparer.Ordinal));
}
