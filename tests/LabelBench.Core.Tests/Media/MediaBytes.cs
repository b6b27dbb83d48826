using System.Buffers.Binary;
using System.Text;

namespace LabelBench.Core.Tests.Media;

/// <summary>Builds small media files byte by byte, so parser tests need no fixtures.</summary>
internal static class MediaBytes
{
    public static byte[] Png(uint width, uint height, byte bitDepth = 8, byte colorType = 6)
    {
        var b = new List<byte> { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        b.AddRange(Be32(13));
        b.AddRange("IHDR"u8.ToArray());
        b.AddRange(Be32(width));
        b.AddRange(Be32(height));
        b.AddRange([bitDepth, colorType, 0, 0, 0]);
        b.AddRange([0, 0, 0, 0]); // CRC (not checked by the header reader)
        return [.. b];
    }

    public static byte[] Gif(ushort width, ushort height) =>
        [.. "GIF89a"u8.ToArray(), .. Le16(width), .. Le16(height), 0xF0, 0, 0, 0x3B];

    /// <summary>A JPEG with an APP0 and a long APP1 segment before its baseline frame header.</summary>
    public static byte[] Jpeg(ushort width, ushort height, byte sof = 0xC0, int app1Length = 3000)
    {
        var b = new List<byte> { 0xFF, 0xD8 };
        b.AddRange([0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8.ToArray(), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        b.AddRange([0xFF, 0xE1, .. Be16((ushort)app1Length)]);
        b.AddRange(new byte[app1Length - 2]);
        b.AddRange([0xFF, 0xFF]); // a fill byte before the next marker
        b.AddRange([sof, .. Be16(17), 8, .. Be16(height), .. Be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        b.AddRange([0xFF, 0xDA, 0x00, 0x0C, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0, 0x12, 0x34, 0xFF, 0xD9]);
        return [.. b];
    }

    public static byte[] WebpLossy(int width, int height)
    {
        var frame = new byte[10];
        frame[0] = 0x10; // key frame (bit 0 clear)
        frame[3] = 0x9D;
        frame[4] = 0x01;
        frame[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(8), (ushort)height);
        return Riff("WEBP", ("VP8 ", frame));
    }

    public static byte[] WebpLossless(int width, int height)
    {
        var body = new byte[5];
        body[0] = 0x2F;
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(1), (uint)((width - 1) | ((height - 1) << 14)));
        return Riff("WEBP", ("VP8L", body));
    }

    public static byte[] WebpExtended(int width, int height)
    {
        var body = new byte[10];
        Le24(width - 1).CopyTo(body.AsSpan(4));
        Le24(height - 1).CopyTo(body.AsSpan(7));
        return Riff("WEBP", ("VP8X", body));
    }

    /// <summary>A WAV whose data chunk holds <paramref name="data"/>; <paramref name="extensible"/> writes WAVE_FORMAT_EXTENSIBLE.</summary>
    public static byte[] Wav(int channels, int sampleRate, int bits, byte[] data, bool isFloat = false, bool extensible = false, uint? declaredDataLength = null, bool listChunkFirst = true)
    {
        var blockAlign = channels * bits / 8;
        var fmt = new List<byte>();
        ushort tag = (ushort)(isFloat ? 3 : 1);
        fmt.AddRange(Le16(extensible ? (ushort)0xFFFE : tag));
        fmt.AddRange(Le16((ushort)channels));
        fmt.AddRange(Le32((uint)sampleRate));
        fmt.AddRange(Le32((uint)(sampleRate * blockAlign)));
        fmt.AddRange(Le16((ushort)blockAlign));
        fmt.AddRange(Le16((ushort)bits));
        if (extensible)
        {
            fmt.AddRange(Le16(22));
            fmt.AddRange(Le16((ushort)bits));
            fmt.AddRange(Le32(channels == 1 ? 4u : 3u));
            fmt.AddRange([.. Le16(tag), 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]);
        }

        var chunks = new List<(string, byte[])>();
        if (listChunkFirst)
        {
            chunks.Add(("LIST", Encoding.ASCII.GetBytes("INFOISFT\u0005\0\0\0test\0\0"))); // an odd-sized chunk before fmt, with its pad byte
        }

        chunks.Add(("fmt ", [.. fmt]));
        chunks.Add(("data", data));
        var bytes = Riff("WAVE", [.. chunks]);
        if (declaredDataLength is { } declared)
        {
            var at = bytes.AsSpan().IndexOf("data"u8);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), declared);
        }

        return bytes;
    }

    public static byte[] Pcm16(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    public static byte[] Flac(int sampleRate, int channels, int bits, long totalSamples, ushort minBlock = 4096, ushort maxBlock = 4096)
    {
        var info = new byte[34];
        BinaryPrimitives.WriteUInt16BigEndian(info, minBlock);
        BinaryPrimitives.WriteUInt16BigEndian(info.AsSpan(2), maxBlock);
        var packed = ((ulong)sampleRate << 44) | ((ulong)(channels - 1) << 41) | ((ulong)(bits - 1) << 36) | (ulong)totalSamples;
        BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(10), packed);
        return [.. "fLaC"u8.ToArray(), 0x80, 0, 0, 34, .. info, 0xFF, 0xF8, 0, 0];
    }

    public static byte[] OggVorbis(int sampleRate, int channels, long lastGranule, int middlePages = 2)
    {
        var id = new List<byte> { 1 };
        id.AddRange("vorbis"u8.ToArray());
        id.AddRange(Le32(0));
        id.Add((byte)channels);
        id.AddRange(Le32((uint)sampleRate));
        id.AddRange(new byte[12]);
        id.Add(0xB8);
        id.Add(1);
        return OggStream([.. id], lastGranule, middlePages);
    }

    public static byte[] OggOpus(int channels, ushort preSkip, long lastGranule)
    {
        var id = new List<byte>();
        id.AddRange("OpusHead"u8.ToArray());
        id.Add(1);
        id.Add((byte)channels);
        id.AddRange(Le16(preSkip));
        id.AddRange(Le32(48000));
        id.AddRange([0, 0, 0]);
        return OggStream([.. id], lastGranule, 1);
    }

    private static byte[] OggStream(byte[] idPacket, long lastGranule, int middlePages)
    {
        var b = new List<byte>();
        b.AddRange(OggPage(0x02, 0, 0, idPacket));
        for (var i = 1; i <= middlePages; i++)
        {
            b.AddRange(OggPage(0, i == middlePages ? -1 : lastGranule / 2, (uint)i, new byte[100]));
        }

        b.AddRange(OggPage(0x04, lastGranule, (uint)middlePages + 1, new byte[50]));
        return [.. b];
    }

    public static byte[] OggPage(byte type, long granule, uint sequence, byte[] packet, uint serial = 0x1234)
    {
        var b = new List<byte>();
        b.AddRange("OggS"u8.ToArray());
        b.Add(0);
        b.Add(type);
        b.AddRange(Le64((ulong)granule));
        b.AddRange(Le32(serial));
        b.AddRange(Le32(sequence));
        b.AddRange(Le32(0));
        var lacing = new List<byte>();
        var left = packet.Length;
        while (left >= 255)
        {
            lacing.Add(255);
            left -= 255;
        }

        lacing.Add((byte)left);
        b.Add((byte)lacing.Count);
        b.AddRange(lacing);
        b.AddRange(packet);
        return [.. b];
    }

    /// <summary>An MPEG-1 Layer III stream of <paramref name="frames"/> frames at 128 kbps, 44.1 kHz, stereo.</summary>
    public static byte[] Mp3(int frames, bool id3 = true, string? vbrTag = null, uint vbrFrames = 0, bool id3v1 = false)
    {
        var b = new List<byte>();
        if (id3)
        {
            b.AddRange([.. "ID3"u8.ToArray(), 4, 0, 0, 0, 0, 0x01, 0x10]); // 0x90 = 144 bytes, syncsafe
            b.AddRange(new byte[144]);
        }

        for (var i = 0; i < frames; i++)
        {
            var frame = new byte[417]; // 144000 * 128 / 44100 = 417
            frame[0] = 0xFF;
            frame[1] = 0xFB;
            frame[2] = 0x90;
            frame[3] = 0x00;
            if (i == 0 && vbrTag is "Xing" or "Info")
            {
                Encoding.ASCII.GetBytes(vbrTag).CopyTo(frame, 4 + 32);
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4 + 32 + 4), 1);
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4 + 32 + 8), vbrFrames);
            }
            else if (i == 0 && vbrTag == "VBRI")
            {
                "VBRI"u8.CopyTo(frame.AsSpan(36));
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(36 + 14), vbrFrames);
            }

            b.AddRange(frame);
        }

        if (id3v1)
        {
            b.AddRange("TAG"u8.ToArray());
            b.AddRange(new byte[125]);
        }

        return [.. b];
    }

    public static byte[] Riff(string form, params (string Id, byte[] Body)[] chunks)
    {
        var body = new List<byte>();
        body.AddRange(Encoding.ASCII.GetBytes(form));
        foreach (var (id, data) in chunks)
        {
            body.AddRange(Encoding.ASCII.GetBytes(id));
            body.AddRange(Le32((uint)data.Length));
            body.AddRange(data);
            if (data.Length % 2 == 1)
            {
                body.Add(0);
            }
        }

        return [.. "RIFF"u8.ToArray(), .. Le32((uint)body.Count), .. body];
    }

    public static byte[] Be16(ushort v) => [(byte)(v >> 8), (byte)v];

    public static byte[] Be32(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    public static byte[] Le16(ushort v) => [(byte)v, (byte)(v >> 8)];

    public static byte[] Le24(int v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16)];

    public static byte[] Le32(uint v) => [(byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];

    public static byte[] Le64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }

    public static MemoryStream Stream(byte[] bytes) => new(bytes, writable: false);
}
