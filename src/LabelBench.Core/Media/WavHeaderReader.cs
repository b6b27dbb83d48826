namespace LabelBench.Core.Media;

/// <summary>
/// Reads a WAV file's RIFF chunks up to its <c>data</c> chunk: format (PCM, IEEE float, or WAVE_FORMAT_EXTENSIBLE of
/// either), channels, sample rate, sample size, and where the samples are. Formats browsers cannot play (ADPCM,
/// µ-law, …) are refused.
/// </summary>
public static class WavHeaderReader
{
    private const int MaxChunks = 10_000;
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    public static bool TryRead(Stream stream, out WavFormat format, out string error)
    {
        format = null!;
        var problem = Read(stream, out var result);
        error = problem ?? string.Empty;
        if (problem is null)
        {
            format = result!;
        }

        return problem is null;
    }

    private static string? Read(Stream stream, out WavFormat? format)
    {
        format = null;
        Span<byte> header = stackalloc byte[12];
        if (!StreamReads.TryReadAt(stream, 0, header))
        {
            return "the WAV header is truncated";
        }

        if (header[..4].SequenceEqual("RF64"u8))
        {
            return "RF64 (WAV larger than 4 GB) is not supported";
        }

        if (!header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            return "not a WAV (RIFF … WAVE) header";
        }

        Span<byte> chunk = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[40];
        (bool IsFloat, int Channels, int SampleRate, int Bits, int BlockAlign)? layout = null;
        var position = 12L;
        for (var i = 0; i < MaxChunks; i++)
        {
            if (!StreamReads.TryReadAt(stream, position, chunk))
            {
                return layout is null ? "the WAV has no \"fmt \" chunk" : "the WAV has no \"data\" chunk";
            }

            var id = chunk[..4];
            long size = StreamReads.UInt32LittleEndian(chunk[4..]);
            var body = position + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16)
                {
                    return $"the WAV \"fmt \" chunk is too short ({size} bytes)";
                }

                var length = (int)Math.Min(size, fmt.Length);
                if (!StreamReads.TryReadAt(stream, body, fmt[..length]))
                {
                    return "the WAV \"fmt \" chunk is truncated";
                }

                var problem = ReadFmt(fmt[..length], out var parsed);
                if (problem is not null)
                {
                    return problem;
                }

                layout = parsed;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (layout is not { } l)
                {
                    return "the WAV \"data\" chunk comes before its \"fmt \" chunk";
                }

                var available = stream.Length - body;
                // Recorders that stream write 0 or 0xFFFFFFFF and never come back to fix the size.
                var dataLength = size is 0 or 0xFFFFFFFF ? available : size;
                if (dataLength > available)
                {
                    return $"the WAV is truncated: its header declares {size} bytes of audio but the file holds {Math.Max(0, available)}";
                }

                format = new WavFormat(l.IsFloat, l.Channels, l.SampleRate, l.Bits, l.BlockAlign, body, dataLength - (dataLength % l.BlockAlign));
                return null;
            }

            position = body + size + (size & 1);
        }

        return $"the WAV has more than {MaxChunks} chunks before its audio";
    }

    private static string? ReadFmt(ReadOnlySpan<byte> b, out (bool IsFloat, int Channels, int SampleRate, int Bits, int BlockAlign) layout)
    {
        layout = default;
        int tag = StreamReads.UInt16LittleEndian(b);
        int channels = StreamReads.UInt16LittleEndian(b[2..]);
        var sampleRate = StreamReads.UInt32LittleEndian(b[4..]);
        int blockAlign = StreamReads.UInt16LittleEndian(b[12..]);
        int bits = StreamReads.UInt16LittleEndian(b[14..]);
        if (tag == FormatExtensible)
        {
            if (b.Length < 40)
            {
                return "the WAV \"fmt \" chunk says WAVE_FORMAT_EXTENSIBLE but is too short for it";
            }

            // The sub-format GUID starts with the real format tag.
            tag = StreamReads.UInt16LittleEndian(b[24..]);
        }

        if (tag is not (FormatPcm or FormatFloat))
        {
            return $"WAV format 0x{tag:X4} is not supported: use PCM or IEEE float samples";
        }

        if (channels == 0)
        {
            return "the WAV header declares 0 channels";
        }

        if (sampleRate is 0 or > 768_000)
        {
            return $"the WAV header declares an invalid sample rate ({sampleRate} Hz)";
        }

        var valid = tag == FormatPcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!valid)
        {
            return $"the WAV header declares {bits}-bit {(tag == FormatPcm ? "PCM" : "float")} samples, which are not supported";
        }

        if (blockAlign != channels * (bits / 8))
        {
            return $"the WAV header is inconsistent: {channels} channel(s) of {bits}-bit samples need {channels * (bits / 8)} bytes a frame, not {blockAlign}";
        }

        layout = (tag == FormatFloat, channels, (int)sampleRate, bits, blockAlign);
        return null;
    }
}
