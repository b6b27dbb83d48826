using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.Media;

/// <summary>
/// Media under <c>DataDir/media/aa/bb/&lt;sha256&gt;</c>; staging files in <c>DataDir/media/tmp</c> (the same file system, so
/// the final move is atomic). Nothing is ever written outside the media folder.
/// </summary>
public sealed class FileSystemMediaStore(IOptions<LabelBenchOptions> options, TimeProvider time) : IMediaStore
{
    private const int BufferSize = 128 * 1024;

    private string Root => options.Value.MediaDir;

    private string StagingDir => Path.Combine(Root, "tmp");

    public async Task<StagedMedia?> StageAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var path = NewStagingPath();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var total = 0L;
        try
        {
            await using (var file = CreateStagingFile(path))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        break;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        if (total > maxBytes)
        {
            File.Delete(path);
            return null;
        }

        return new StagedMedia(path, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }

    public async Task<StagedMedia> StageAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var path = NewStagingPath();
        try
        {
            await using (var file = CreateStagingFile(path))
            {
                await write(file, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }

            await using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous);
            var hash = await SHA256.HashDataAsync(read, ct);
            return new StagedMedia(path, Convert.ToHexStringLower(hash), read.Length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public Task CommitAsync(StagedMedia staged, CancellationToken ct)
    {
        var final = PathOf(staged.Hash)!;
        if (File.Exists(final))
        {
            File.Delete(staged.Path);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            try
            {
                File.Move(staged.Path, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                // Another import stored the same content first: same bytes, keep theirs.
                File.Delete(staged.Path);
            }
        }

        staged.Committed = true;
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenReadAsync(string hash, CancellationToken ct)
    {
        var path = PathOf(hash);
        Stream? stream = path is not null && File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous)
            : null;
        return Task.FromResult(stream);
    }

    public Task<int> CleanUpStagingAsync(TimeSpan olderThan, CancellationToken ct)
    {
        if (!Directory.Exists(StagingDir))
        {
            return Task.FromResult(0);
        }

        var cutoff = time.GetUtcNow().UtcDateTime - olderThan;
        var removed = 0;
        foreach (var file in new DirectoryInfo(StagingDir).EnumerateFiles("*.part").Where(f => f.LastWriteTimeUtc < cutoff))
        {
            ct.ThrowIfCancellationRequested();
            file.Delete();
            removed++;
        }

        return Task.FromResult(removed);
    }

    /// <summary>Where a hash is stored; null for anything that is not 64 lower-case hex digits, so no caller can steer the path.</summary>
    internal string? PathOf(string hash)
    {
        if (hash.Length != 64 || !hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            return null;
        }

        return Path.Combine(Root, hash[..2], hash[2..4], hash);
    }

    private string NewStagingPath()
    {
        Directory.CreateDirectory(StagingDir);
        return Path.Combine(StagingDir, $"{Guid.NewGuid():N}.part");
    }

    private static FileStream CreateStagingFile(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
}
