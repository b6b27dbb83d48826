using System.Buffers.Binary;

namespace LabelBench.Core.Media;

/// <summary>Small exact reads from a seekable stream, for header parsers.</summary>
internal static class StreamReads
{
    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; false when the stream ends first.</summary>
    public static bool TryReadAt(Stream stream, long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > stream.Length - buffer.Length)
        {
            return false;
        }

        stream.Position = offset;
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
    }

    /// <summary>Up to <paramref name="buffer"/>'s length from the start of the stream; returns how many bytes there were.</summary>
    public static int ReadHead(Stream stream, Span<byte> buffer)
    {
        stream.Position = 0;
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }

    public static uint UInt32BigEndian(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt32BigEndian(b);

    public static ushort UInt16BigEndian(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt16BigEndian(b);

    public static uint UInt32LittleEndian(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt32LittleEndian(b);

    public static ushort UInt16LittleEndian(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadUInt16LittleEndian(b);

    public static int UInt24LittleEndian(ReadOnlySpan<byte> b) => b[0] | (b[1] << 8) | (b[2] << 16);
}
