namespace LabelBench.Data.Tests.Infrastructure;

/// <summary>
/// A non-seekable upload that delivers its first part at once and the rest only after <see cref="Open"/>: an import
/// caught in the middle of a file, the way a slow upload or a large file looks to the server.
/// </summary>
public sealed class GatedStream(byte[] first, byte[] rest) : Stream
{
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public void Open() => gate.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= first.Length)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return Copy(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (position >= first.Length)
        {
            gate.Task.Wait();
        }

        return Copy(buffer.AsSpan(offset, count));
    }

    private int Copy(Span<byte> buffer)
    {
        var (source, start) = position < first.Length ? (first, position) : (rest, position - first.Length);
        var n = (int)Math.Min(buffer.Length, source.Length - start);
        source.AsSpan((int)start, n).CopyTo(buffer);
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
