using System.Text;
using LabelBench.Core.Import;

namespace LabelBench.Core.Tests.Import;

/// <summary>Streams and helpers for reader tests.</summary>
internal static class ImportTestStreams
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Utf8WithBom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];

    public static async Task<List<ImportRow>> ReadAllAsync(IItemReader reader, byte[] bytes, bool seekable = true, string source = "file")
    {
        Stream stream = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        var rows = new List<ImportRow>();
        await foreach (var row in reader.ReadAsync(stream, source))
        {
            rows.Add(row);
        }

        return rows;
    }

    public static Task<List<ImportRow>> ReadAllAsync(IItemReader reader, string text) => ReadAllAsync(reader, Utf8(text));

    /// <summary>Like an HTTP request body: read-only, forward-only, async.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous reads are not allowed");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
