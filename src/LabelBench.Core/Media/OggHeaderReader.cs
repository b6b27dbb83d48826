namespace LabelBench.Core.Media;

/// <summary>
/// Reads an Ogg Vorbis or Ogg Opus file: the identification header in the first page gives the sample rate and
/// channels; the granule position of the stream's last page gives the duration.
/// </summary>
public static class OggHeaderReader
{
    private const int PageHeaderLength = 27;

    /// <summary>A page is at most 27 + 255 + 255 × 255 bytes; the tail searched for the last page holds a few.</summary>
    private const int TailWindow = 256 * 1024;

    public static bool TryRead(Stream stream, out AudioInfo info, out string error)
    {
        info = null!;
        error = string.Empty;
        Span<byte> page = stackalloc byte[PageHeaderLength];
        if (!StreamReads.TryReadAt(stream, 0, page))
        {
            error = "the Ogg header is truncated";
            return false;
        }

        if (!page[..4].SequenceEqual("OggS"u8) || page[4] != 0)
        {
            error = "not an Ogg page (OggS, version 0)";
            return false;
        }

        if ((page[5] & 0x02) == 0)
        {
            error = "the first Ogg page does not begin a stream";
            return false;
        }

        var serial = StreamReads.UInt32LittleEndian(page[14..]);
        int segments = page[26];
        Span<byte> lacing = stackalloc byte[255];
        if (!StreamReads.TryReadAt(stream, PageHeaderLength, lacing[..segments]))
        {
            error = "the first Ogg page is truncated";
            return false;
        }

        // The identification header is the first packet: segments until one shorter than 255 bytes.
        var packetLength = 0;
        foreach (var l in lacing[..segments])
        {
            packetLength += l;
            if (l < 255)
            {
                break;
            }
        }

        Span<byte> packet = stackalloc byte[30];
        var idLength = Math.Min(packetLength, packet.Length);
        if (idLength < 19 || !StreamReads.TryReadAt(stream, PageHeaderLength + segments, packet[..idLength]))
        {
            error = "the Ogg identification header is truncated";
            return false;
        }

        packet = packet[..idLength];
        int sampleRate, channels, granuleRate;
        long preSkip = 0;
        if (packet[0] == 1 && packet[1..7].SequenceEqual("vorbis"u8))
        {
            if (packet.Length < 30 || StreamReads.UInt32LittleEndian(packet[7..]) != 0)
            {
                error = "the Vorbis identification header is broken";
                return false;
            }

            channels = packet[11];
            sampleRate = (int)Math.Min(StreamReads.UInt32LittleEndian(packet[12..]), int.MaxValue);
            granuleRate = sampleRate;
        }
        else if (packet[..8].SequenceEqual("OpusHead"u8))
        {
            if ((packet[8] & 0xF0) != 0)
            {
                error = $"Opus header version {packet[8]} is not supported";
                return false;
            }

            channels = packet[9];
            preSkip = StreamReads.UInt16LittleEndian(packet[10..]);
            var inputRate = (int)Math.Min(StreamReads.UInt32LittleEndian(packet[12..]), int.MaxValue);
            // Opus always decodes at 48 kHz and counts granules at that rate; the input rate is informational.
            sampleRate = inputRate == 0 ? 48_000 : inputRate;
            granuleRate = 48_000;
        }
        else
        {
            error = "the Ogg stream is neither Vorbis nor Opus";
            return false;
        }

        if (channels == 0 || sampleRate == 0)
        {
            error = $"the Ogg identification header declares {channels} channel(s) at {sampleRate} Hz";
            return false;
        }

        var granule = LastGranule(stream, serial);
        if (granule is null)
        {
            error = "the Ogg stream has no final page with a position (the file is truncated)";
            return false;
        }

        var samples = Math.Max(0, granule.Value - preSkip);
        info = new AudioInfo(sampleRate, channels, (double)samples / granuleRate);
        return true;
    }

    /// <summary>The granule position of the last page of <paramref name="serial"/> found in the file's tail, searching backwards.</summary>
    private static long? LastGranule(Stream stream, uint serial)
    {
        var start = Math.Max(0, stream.Length - TailWindow);
        var tail = new byte[stream.Length - start];
        if (!StreamReads.TryReadAt(stream, start, tail))
        {
            return null;
        }

        // The first page only holds headers (granule 0): a file that has nothing after it has no audio.
        for (var i = tail.Length - PageHeaderLength; i >= 0 && start + i > 0; i--)
        {
            var p = tail.AsSpan(i);
            if (p[0] != (byte)'O' || !p[..4].SequenceEqual("OggS"u8) || p[4] != 0 || StreamReads.UInt32LittleEndian(p[14..]) != serial)
            {
                continue;
            }

            var granule = (long)(((ulong)StreamReads.UInt32LittleEndian(p[10..]) << 32) | StreamReads.UInt32LittleEndian(p[6..]));
            // -1: no packet ends on this page; look at the one before.
            if (granule >= 0)
            {
                return granule;
            }
        }

        return null;
    }
}
