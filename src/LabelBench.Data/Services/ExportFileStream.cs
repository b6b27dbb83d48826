namespace LabelBench.Data.Services;

/// <summary>
/// A new local file an export writes into: its asynchronous writes are plain synchronous writes.
/// </summary>
/// <remarks>
/// Exporters write asynchronously because they also write to network responses. On Linux a file has no asynchronous
/// write: <see cref="FileStream"/> hands each one to the thread pool and resumes the export on another thread, and
/// for a million-row export those hops (and the pool's threads spinning for work on a small machine) cost seconds.
/// The exporters already hand over 64 KB at a time, so writing each block where it is produced loses nothing.
/// </remarks>
public sealed class ExportFileStream(string path, FileMode mode)
    : FileStream(path, mode, FileAccess.ReadWrite, FileShare.None, bufferSize: 64 * 1024, useAsync: false)
{
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Flush();
        return Task.CompletedTask;
    }
}
