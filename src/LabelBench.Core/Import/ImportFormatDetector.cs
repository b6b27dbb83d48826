namespace LabelBench.Core.Import;

/// <summary>Tells an import file's format from its name and its first bytes (magic numbers win over extensions for binary files).</summary>
public static class ImportFormatDetector
{
    /// <summary>How many leading bytes <see cref="Detect"/> wants to see (fewer work for short files).</summary>
    public const int HeadLength = 512;

    private static readonly Dictionary<string, (ImportFormat Format, string? MediaType)> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = (ImportFormat.Csv, "text/csv"),
        [".tsv"] = (ImportFormat.Csv, "text/tab-separated-values"),
        [".jsonl"] = (ImportFormat.Jsonl, "application/jsonl"),
        [".ndjson"] = (ImportFormat.Jsonl, "application/jsonl"),
        [".json"] = (ImportFormat.Jsonl, "application/json"),
        [".zip"] = (ImportFormat.Zip, "application/zip"),
        [".png"] = (ImportFormat.Image, "image/png"),
        [".jpg"] = (ImportFormat.Image, "image/jpeg"),
        [".jpeg"] = (ImportFormat.Image, "image/jpeg"),
        [".gif"] = (ImportFormat.Image, "image/gif"),
        [".webp"] = (ImportFormat.Image, "image/webp"),
        [".wav"] = (ImportFormat.Audio, "audio/wav"),
        [".mp3"] = (ImportFormat.Audio, "audio/mpeg"),
        [".ogg"] = (ImportFormat.Audio, "audio/ogg"),
        [".oga"] = (ImportFormat.Audio, "audio/ogg"),
        [".flac"] = (ImportFormat.Audio, "audio/flac"),
    };

    public static ImportFormatDetection Detect(string fileName, ReadOnlySpan<byte> head)
    {
        var extension = Path.GetExtension(fileName);
        var named = ByExtension.TryGetValue(extension, out var byName) ? byName : ((ImportFormat Format, string? MediaType)?)null;
        var sniffed = Sniff(head);

        if (sniffed is { } content)
        {
            // An image saved as .jpg that is really a PNG is common and harmless; a CSV that is really a zip is not.
            if (named is { } claim && claim.Format != content.Format)
            {
                return ImportFormatDetection.Refused($"{fileName}: the name says {Describe(claim.Format)} but the content is {content.MediaType}");
            }

            return ImportFormatDetection.Of(content.Format, content.MediaType);
        }

        if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            return ImportFormatDetection.Refused($"{fileName}: the file is UTF-16 encoded; save it as UTF-8");
        }

        if (named is { Format: ImportFormat.Image or ImportFormat.Audio or ImportFormat.Zip } binary)
        {
            return ImportFormatDetection.Refused($"{fileName}: the content is not {Describe(binary.Format)} ({binary.MediaType}) as the name says");
        }

        var firstChar = FirstNonWhitespace(head);
        if (firstChar == '[' && named is null or { Format: ImportFormat.Jsonl })
        {
            return ImportFormatDetection.Refused($"{fileName}: a JSON array is not supported; write one JSON object per line (JSONL)");
        }

        if (named is { } text)
        {
            return ImportFormatDetection.Of(text.Format, text.MediaType);
        }

        if (firstChar == '{')
        {
            return ImportFormatDetection.Of(ImportFormat.Jsonl, "application/jsonl");
        }

        var supported = "CSV, JSONL, zip, PNG, JPEG, GIF, WebP, WAV, MP3, OGG, FLAC";
        return ImportFormatDetection.Refused(extension.Length == 0
            ? $"{fileName}: cannot tell the file type (no extension and no known content); supported: {supported}"
            : $"{fileName}: \"{extension}\" files are not supported; supported: {supported}");
    }

    private static (ImportFormat Format, string MediaType)? Sniff(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return (ImportFormat.Image, "image/png");
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return (ImportFormat.Image, "image/jpeg");
        }

        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8))
        {
            return (ImportFormat.Image, "image/gif");
        }

        if (b.Length >= 12 && b.StartsWith("RIFF"u8))
        {
            if (b[8..12].SequenceEqual("WEBP"u8))
            {
                return (ImportFormat.Image, "image/webp");
            }

            if (b[8..12].SequenceEqual("WAVE"u8))
            {
                return (ImportFormat.Audio, "audio/wav");
            }
        }

        if (b.StartsWith("OggS"u8))
        {
            return (ImportFormat.Audio, "audio/ogg");
        }

        if (b.StartsWith("fLaC"u8))
        {
            return (ImportFormat.Audio, "audio/flac");
        }

        if (b.StartsWith("ID3"u8) || IsMp3FrameHeader(b))
        {
            return (ImportFormat.Audio, "audio/mpeg");
        }

        // Local file header, or the end-of-central-directory record of an empty archive.
        if (b.StartsWith("PK\x03\x04"u8) || b.StartsWith("PK\x05\x06"u8))
        {
            return (ImportFormat.Zip, "application/zip");
        }

        return null;
    }

    /// <summary>
    /// An MPEG audio layer III frame header: 11 sync bits, a version that is not reserved, layer III, and a valid
    /// bitrate and sample rate. Demanding all of it keeps a UTF-16 BOM (FF FE) from passing for MP3.
    /// </summary>
    private static bool IsMp3FrameHeader(ReadOnlySpan<byte> b) =>
        b.Length >= 3
        && b[0] == 0xFF
        && (b[1] & 0xE0) == 0xE0
        && (b[1] & 0x18) != 0x08
        && (b[1] & 0x06) == 0x02
        && (b[2] & 0xF0) != 0xF0
        && (b[2] & 0x0C) != 0x0C;

    private static char FirstNonWhitespace(ReadOnlySpan<byte> head)
    {
        var start = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        foreach (var b in head[start..])
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return (char)b;
            }
        }

        return '\0';
    }

    private static string Describe(ImportFormat format) => format switch
    {
        ImportFormat.Csv => "CSV",
        ImportFormat.Jsonl => "JSON lines",
        ImportFormat.Zip => "a zip archive",
        ImportFormat.Image => "an image",
        ImportFormat.Audio => "audio",
        _ => "an unknown type",
    };
}
