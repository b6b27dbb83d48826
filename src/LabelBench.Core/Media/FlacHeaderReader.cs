namespace LabelBench.Core.Media;

/// <summary>Reads a FLAC file's STREAMINFO block: sample rate, channels and total samples (hence the duration).</summary>
public static class FlacHeaderReader
{
    public static bool TryRead(Stream stream, out AudioInfo info, out string error)
    {
        info = null!;
        error = string.Empty;
        Span<byte> b = stackalloc byte[42];
        if (!StreamReads.TryReadAt(stream, 0, b))
        {
            error = "the FLAC header is truncated";
            return false;
        }

        if (!b[..4].SequenceEqual("fLaC"u8))
        {
            error = "not a FLAC (fLaC) signature";
            return false;
        }

        var blockType = b[4] & 0x7F;
        var blockLength = (b[5] << 16) | (b[6] << 8) | b[7];
        if (blockType != 0 || blockLength != 34)
        {
            error = "the FLAC does not start with its STREAMINFO block";
            return false;
        }

        var s = b[8..];
        int minBlock = StreamReads.UInt16BigEndian(s);
        int maxBlock = StreamReads.UInt16BigEndian(s[2..]);
        var packed = ((ulong)StreamReads.UInt32BigEndian(s[10..]) << 32) | StreamReads.UInt32BigEndian(s[14..]);
        var sampleRate = (int)(packed >> 44);
        var channels = (int)((packed >> 41) & 0x7) + 1;
        var bits = (int)((packed >> 36) & 0x1F) + 1;
        var totalSamples = (long)(packed & 0xF_FFFF_FFFF);
        if (minBlock < 16 || maxBlock < minBlock)
        {
            error = $"the FLAC STREAMINFO has invalid block sizes ({minBlock}..{maxBlock})";
            return false;
        }

        if (sampleRate == 0 || bits < 4)
        {
            error = $"the FLAC STREAMINFO declares an invalid sample rate ({sampleRate} Hz) or sample size ({bits} bits)";
            return false;
        }

        // Zero total samples means "unknown" (a stream that was never finalised).
        info = new AudioInfo(sampleRate, channels, totalSamples == 0 ? null : (double)totalSamples / sampleRate);
        return true;
    }
}
