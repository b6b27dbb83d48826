namespace LabelBench.Data.Media;

/// <summary>
/// Content-addressed storage of media files: a file's name is the SHA-256 of its bytes, so storing the same file twice
/// keeps one copy, and no name ever comes from user input. Writes go through a private staging file that is hashed
/// while it is written and committed atomically. An S3-compatible store can implement the same interface.
/// </summary>
public interface IMediaStore
{
    /// <summary>Copies <paramref name="content"/> to a staging file while hashing it; null when it holds more than <paramref name="maxBytes"/>.</summary>
    Task<StagedMedia?> StageAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>Stages what <paramref name="write"/> writes (derived media such as thumbnails and peaks).</summary>
    Task<StagedMedia> StageAsync(Func<Stream, CancellationToken, Task> write, CancellationToken ct);

    /// <summary>Stores a staged file under its hash; when that hash is already stored, the existing copy stays.</summary>
    Task CommitAsync(StagedMedia staged, CancellationToken ct);

    /// <summary>The stored file with this hash (seekable, for range requests), or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string hash, CancellationToken ct);

    /// <summary>Removes staging files older than <paramref name="olderThan"/> that a crash mid-import left; returns how many.</summary>
    Task<int> CleanUpStagingAsync(TimeSpan olderThan, CancellationToken ct);
}

/// <summary>A file written to the store's staging area, not yet committed; disposing it removes what was not committed.</summary>
public sealed class StagedMedia(string path, string hash, long length) : IAsyncDisposable
{
    /// <summary>Lower-case hex SHA-256 of the content.</summary>
    public string Hash { get; } = hash;

    public long Length { get; } = length;

    internal string Path { get; } = path;

    internal bool Committed { get; set; }

    /// <summary>Reads the staged bytes (seekable), for probing and decoding before the file is committed.</summary>
    public Stream OpenRead() => new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    public ValueTask DisposeAsync()
    {
        if (!Committed)
        {
            File.Delete(Path);
        }

        return ValueTask.CompletedTask;
    }
}
