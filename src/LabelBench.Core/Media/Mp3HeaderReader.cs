namespace LabelBench.Core.Media;

/// <summary>
/// Reads an MPEG-1/2/2.5 Layer III file: skips ID3v2 tags, finds the first frame (confirmed by the frame after it),
/// and takes the duration from a Xing/Info or VBRI header's frame count, else from the size at the constant bit rate.
/// </summary>
public static class Mp3HeaderReader
{
    private const int SyncSearchBytes = 64 * 1024;

    private static readonly int[] BitratesMpeg1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] BitratesMpeg2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    private static readonly int[] RatesMpeg1 = [44100, 48000, 32000];
    private static readonly int[] RatesMpeg2 = [22050, 24000, 16000];
    private static readonly int[] RatesMpeg25 = [11025, 12000, 8000];

    /// <summary>One frame header, decoded.</summary>
    internal readonly record struct FrameHeader(int Version, int Bitrate, int SampleRate, int Length, bool Mono)
    {
        /// <summary>1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5.</summary>
        public bool IsMpeg1 => Version == 1;

        public int SamplesPerFrame => IsMpeg1 ? 1152 : 576;

        public int SideInfoLength => IsMpeg1 ? (Mono ? 17 : 32) : (Mono ? 9 : 17);
    }

    public static bool TryRead(Stream stream, out AudioInfo info, out string error)
    {
        info = null!;
        error = string.Empty;
        var audioStart = 0L;
        Span<byte> id3 = stackalloc byte[10];
        while (StreamReads.TryReadAt(stream, audioStart, id3) && id3[..3].SequenceEqual("ID3"u8))
        {
            if (((id3[6] | id3[7] | id3[8] | id3[9]) & 0x80) != 0)
            {
                error = "the ID3v2 tag has an invalid size";
                return false;
            }

            var size = (id3[6] << 21) | (id3[7] << 14) | (id3[8] << 7) | id3[9];
            audioStart += 10 + size + ((id3[5] & 0x10) != 0 ? 10 : 0);
        }

        var end = stream.Length;
        Span<byte> tag = stackalloc byte[3];
        if (end - audioStart >= 128 && StreamReads.TryReadAt(stream, end - 128, tag) && tag.SequenceEqual("TAG"u8))
        {
            end -= 128;
        }

        if (audioStart >= end)
        {
            error = "the MP3 has no audio after its ID3 tag";
            return false;
        }

        var first = FindFirstFrame(stream, audioStart, end, out var frameStart);
        if (first is not { } frame)
        {
            error = "no MPEG Layer III frame found (the MP3 is broken, truncated, or not Layer III)";
            return false;
        }

        var channels = frame.Mono ? 1 : 2;
        var frames = VbrFrameCount(stream, frameStart, frame);
        var seconds = frames is { } n
            ? (double)n * frame.SamplesPerFrame / frame.SampleRate
            : (end - frameStart) * 8.0 / (frame.Bitrate * 1000.0);
        info = new AudioInfo(frame.SampleRate, channels, seconds);
        return true;
    }

    private static FrameHeader? FindFirstFrame(Stream stream, long from, long end, out long frameStart)
    {
        frameStart = -1;
        var window = new byte[(int)Math.Min(SyncSearchBytes + 4, end - from)];
        if (!StreamReads.TryReadAt(stream, from, window))
        {
            return null;
        }

        Span<byte> next = stackalloc byte[4];
        for (var i = 0; i + 4 <= window.Length; i++)
        {
            if (window[i] != 0xFF || Parse(window.AsSpan(i, 4)) is not { } header)
            {
                continue;
            }

            var position = from + i;
            var following = position + header.Length;
            // A frame that ends the file, or a second frame of the same stream right after it, confirms the sync.
            var confirmed = following == end
                || (StreamReads.TryReadAt(stream, following, next) && Parse(next) is { } second
                    && second.Version == header.Version && second.SampleRate == header.SampleRate);
            if (confirmed)
            {
                frameStart = position;
                return header;
            }
        }

        return null;
    }

    internal static FrameHeader? Parse(ReadOnlySpan<byte> b)
    {
        if (b[0] != 0xFF || (b[1] & 0xE0) != 0xE0)
        {
            return null;
        }

        var versionBits = (b[1] >> 3) & 3;
        var layerBits = (b[1] >> 1) & 3;
        var bitrateIndex = b[2] >> 4;
        var rateIndex = (b[2] >> 2) & 3;
        if (versionBits == 1 || layerBits != 1 || bitrateIndex is 0 or 15 || rateIndex == 3)
        {
            return null;
        }

        var version = versionBits switch { 3 => 1, 2 => 2, _ => 25 };
        var bitrate = (version == 1 ? BitratesMpeg1 : BitratesMpeg2)[bitrateIndex];
        var sampleRate = (version switch { 1 => RatesMpeg1, 2 => RatesMpeg2, _ => RatesMpeg25 })[rateIndex];
        var padding = (b[2] >> 1) & 1;
        var length = ((version == 1 ? 144_000 : 72_000) * bitrate / sampleRate) + padding;
        return new FrameHeader(version, bitrate, sampleRate, length, Mono: (b[3] >> 6) == 3);
    }

    /// <summary>The frame count of a Xing/Info or VBRI header in the first frame, or null when it has none.</summary>
    private static long? VbrFrameCount(Stream stream, long frameStart, FrameHeader frame)
    {
        Span<byte> xing = stackalloc byte[12];
        if (StreamReads.TryReadAt(stream, frameStart + 4 + frame.SideInfoLength, xing)
            && (xing[..4].SequenceEqual("Xing"u8) || xing[..4].SequenceEqual("Info"u8))
            && (StreamReads.UInt32BigEndian(xing[4..]) & 1) != 0)
        {
            var count = StreamReads.UInt32BigEndian(xing[8..]);
            return count == 0 ? null : count;
        }

        Span<byte> vbri = stackalloc byte[18];
        if (StreamReads.TryReadAt(stream, frameStart + 4 + 32, vbri) && vbri[..4].SequenceEqual("VBRI"u8))
        {
            var count = StreamReads.UInt32BigEndian(vbri[14..]);
            return count == 0 ? null : count;
        }

        return null;
    }
}
