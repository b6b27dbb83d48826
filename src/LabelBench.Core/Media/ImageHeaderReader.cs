namespace LabelBench.Core.Media;

/// <summary>An image's pixel dimensions as its header declares them.</summary>
public readonly record struct ImageSize(int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>
/// Reads an image's dimensions from its header without decoding any pixels (PNG IHDR, JPEG SOFn, GIF logical screen,
/// WebP VP8/VP8L/VP8X), so a decompression bomb is refused before a byte of it is decoded.
/// </summary>
public static class ImageHeaderReader
{
    /// <summary>Reads the size of the image in <paramref name="stream"/> (seekable, read from its start) of the given content type.</summary>
    public static bool TryRead(Stream stream, string contentType, out ImageSize size, out string error)
    {
        size = default;
        var problem = contentType switch
        {
            MediaTypes.Png => ReadPng(stream, out size),
            MediaTypes.Jpeg => ReadJpeg(stream, out size),
            MediaTypes.Gif => ReadGif(stream, out size),
            MediaTypes.Webp => ReadWebp(stream, out size),
            _ => $"{contentType} is not an image type LabelBench reads",
        };
        if (problem is null && (size.Width <= 0 || size.Height <= 0))
        {
            problem = $"the header declares an empty image ({size.Width}×{size.Height})";
        }

        error = problem ?? string.Empty;
        return problem is null;
    }

    private static string? ReadPng(Stream stream, out ImageSize size)
    {
        size = default;
        Span<byte> b = stackalloc byte[29];
        var read = StreamReads.ReadHead(stream, b);
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        var compared = Math.Min(read, signature.Length);
        if (read == 0 || !b[..compared].SequenceEqual(signature[..compared]))
        {
            return "not a PNG signature";
        }

        if (read < b.Length)
        {
            return "the PNG header is truncated";
        }

        if (StreamReads.UInt32BigEndian(b[8..]) != 13 || !b[12..16].SequenceEqual("IHDR"u8))
        {
            return "the PNG does not start with its IHDR header chunk";
        }

        var width = StreamReads.UInt32BigEndian(b[16..]);
        var height = StreamReads.UInt32BigEndian(b[20..]);
        if (width > int.MaxValue || height > int.MaxValue)
        {
            return $"the PNG header declares an impossible size ({width}×{height})";
        }

        var bitDepth = b[24];
        var colorType = b[25];
        if (colorType is not (0 or 2 or 3 or 4 or 6) || bitDepth is not (1 or 2 or 4 or 8 or 16))
        {
            return $"the PNG header has an invalid colour type {colorType} or bit depth {bitDepth}";
        }

        size = new ImageSize((int)width, (int)height);
        return null;
    }

    private static string? ReadGif(Stream stream, out ImageSize size)
    {
        size = default;
        Span<byte> b = stackalloc byte[10];
        var read = StreamReads.ReadHead(stream, b);
        if (read < 6 || (!b[..6].SequenceEqual("GIF87a"u8) && !b[..6].SequenceEqual("GIF89a"u8)))
        {
            return "not a GIF signature";
        }

        if (read < b.Length)
        {
            return "the GIF header is truncated";
        }

        size = new ImageSize(StreamReads.UInt16LittleEndian(b[6..]), StreamReads.UInt16LittleEndian(b[8..]));
        return null;
    }

    private static string? ReadWebp(Stream stream, out ImageSize size)
    {
        size = default;
        Span<byte> b = stackalloc byte[30];
        var read = StreamReads.ReadHead(stream, b);
        if (read < 12 || !b[..4].SequenceEqual("RIFF"u8) || !b[8..12].SequenceEqual("WEBP"u8))
        {
            return "not a WebP (RIFF … WEBP) signature";
        }

        var chunk = b[12..16];
        var needed = chunk.SequenceEqual("VP8L"u8) ? 25 : 30;
        if (read < needed)
        {
            return "the WebP header is truncated";
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Key frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height (2 bits of scaling each).
            if ((b[20] & 1) != 0 || b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A)
            {
                return "the WebP (VP8) frame header is broken";
            }

            size = new ImageSize(StreamReads.UInt16LittleEndian(b[26..]) & 0x3FFF, StreamReads.UInt16LittleEndian(b[28..]) & 0x3FFF);
            return null;
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (b[20] != 0x2F)
            {
                return "the WebP (VP8L) header is broken";
            }

            var bits = StreamReads.UInt32LittleEndian(b[21..]);
            size = new ImageSize((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
            return null;
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            size = new ImageSize(StreamReads.UInt24LittleEndian(b[24..]) + 1, StreamReads.UInt24LittleEndian(b[27..]) + 1);
            return null;
        }

        return "the WebP has no VP8, VP8L or VP8X chunk first";
    }

    /// <summary>Walks the JPEG's marker segments (skipping metadata by its length) to the first start-of-frame.</summary>
    private static string? ReadJpeg(Stream stream, out ImageSize size)
    {
        size = default;
        Span<byte> two = stackalloc byte[2];
        if (!StreamReads.TryReadAt(stream, 0, two) || two[0] != 0xFF || two[1] != 0xD8)
        {
            return "not a JPEG (no start-of-image marker)";
        }

        var position = 2L;
        while (true)
        {
            if (!StreamReads.TryReadAt(stream, position, two))
            {
                return "the JPEG ends before its frame header";
            }

            if (two[0] != 0xFF)
            {
                return $"the JPEG is broken: no marker at byte {position}";
            }

            var marker = two[1];
            position += 2;
            if (marker == 0xFF)
            {
                // Fill byte: the marker follows.
                position--;
                continue;
            }

            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7))
            {
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return "the JPEG has no frame header before its image data";
            }

            if (!StreamReads.TryReadAt(stream, position, two))
            {
                return "the JPEG ends inside a segment header";
            }

            var length = StreamReads.UInt16BigEndian(two);
            if (length < 2)
            {
                return $"the JPEG has a segment of impossible length {length} at byte {position}";
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                Span<byte> frame = stackalloc byte[6];
                if (length < 8 || !StreamReads.TryReadAt(stream, position + 2, frame))
                {
                    return "the JPEG frame header is truncated";
                }

                int height = StreamReads.UInt16BigEndian(frame[1..]);
                int width = StreamReads.UInt16BigEndian(frame[3..]);
                if (height == 0)
                {
                    return "the JPEG frame header leaves the height to a later marker (DNL), which is not supported";
                }

                size = new ImageSize(width, height);
                return null;
            }

            position += length;
        }
    }
}
