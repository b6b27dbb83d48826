using System.Buffers.Binary;

namespace LabelBench.Core.Media;

/// <summary>
/// Reads how many entries a zip archive declares from its end-of-central-directory record (zip64 too), so an archive
/// with millions of entries is refused before its directory is loaded.
/// </summary>
public static class ZipDirectory
{
    private const int EndRecordLength = 22;
    private const int MaxCommentLength = ushort.MaxValue;

    /// <summary>The declared entry count, or null when no end record is found (the archive reader will then refuse the file).</summary>
    public static long? DeclaredEntryCount(Stream stream)
    {
        var windowStart = Math.Max(0, stream.Length - EndRecordLength - MaxCommentLength);
        var window = new byte[stream.Length - windowStart];
        if (window.Length < EndRecordLength || !StreamReads.TryReadAt(stream, windowStart, window))
        {
            return null;
        }

        var at = window.AsSpan().LastIndexOf("PK\x05\x06"u8);
        if (at < 0 || at > window.Length - EndRecordLength)
        {
            return null;
        }

        long entries = StreamReads.UInt16LittleEndian(window.AsSpan(at + 10));
        if (entries != ushort.MaxValue)
        {
            return entries;
        }

        // Zip64: a locator right before the end record points at the zip64 end record.
        Span<byte> locator = stackalloc byte[20];
        Span<byte> record = stackalloc byte[40];
        if (StreamReads.TryReadAt(stream, windowStart + at - locator.Length, locator) && locator[..4].SequenceEqual("PK\x06\x07"u8))
        {
            var offset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]), long.MaxValue);
            if (StreamReads.TryReadAt(stream, offset, record) && record[..4].SequenceEqual("PK\x06\x06"u8))
            {
                return (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record[32..]), long.MaxValue);
            }
        }

        return entries;
    }
}
