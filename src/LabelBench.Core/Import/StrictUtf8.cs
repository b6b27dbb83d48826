using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace LabelBench.Core.Import;

/// <summary>UTF-8 that refuses invalid bytes instead of replacing them, so a mis-encoded file is refused rather than imported garbled.</summary>
internal static class StrictUtf8
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Strict decoding (<c>throwOnInvalidBytes</c>). It declares a BOM as its preamble only so that
    /// <see cref="StreamReader"/> skips an optional leading BOM; nothing here encodes.
    /// </summary>
    public static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    public static StreamReader OpenReader(Stream stream) =>
        new(stream, Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: ChunkBytes, leaveOpen: true);

    /// <summary>What is wrong with the stream's encoding from its current position to the end, or null when it is valid UTF-8.</summary>
    public static async Task<string?> FindProblemAsync(Stream stream, CancellationToken ct)
    {
        // A few spare bytes hold an incomplete sequence carried over from the previous chunk.
        var bytes = new byte[ChunkBytes + 4];
        var chars = new char[ChunkBytes + 4];
        var carried = 0;
        var offset = 0L;
        var line = 1;
        while (true)
        {
            var read = await stream.ReadAsync(bytes.AsMemory(carried, ChunkBytes), ct);
            var count = carried + read;
            var isFinal = read == 0;
            if (offset == 0 && count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            {
                return "the file is UTF-16 encoded; save it as UTF-8 and import it again";
            }

            var status = Utf8.ToUtf16(bytes.AsSpan(0, count), chars, out var consumed, out _, replaceInvalidSequences: false, isFinalBlock: isFinal);
            line += bytes.AsSpan(0, consumed).Count((byte)'\n');
            if (status == OperationStatus.InvalidData)
            {
                return NotUtf8(line, offset + consumed);
            }

            if (isFinal)
            {
                return null;
            }

            carried = count - consumed;
            bytes.AsSpan(consumed, carried).CopyTo(bytes);
            offset += consumed;
        }
    }

    public static string NotUtf8(int line, long byteOffset) =>
        $"the file is not valid UTF-8 (invalid bytes on line {line}, byte offset {byteOffset}); save it as UTF-8 and import it again; nothing from this file was imported";

    public static string NotUtf8AfterLine(int line) =>
        $"the file is not valid UTF-8 (invalid bytes after line {line}); save it as UTF-8 and import it again; nothing from this file was imported";
}
