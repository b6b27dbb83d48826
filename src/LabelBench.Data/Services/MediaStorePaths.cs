namespace LabelBench.Data.Services;

/// <summary>Where the content-addressed media store keeps a file: <c>media/ab/abcdef…</c>, by the SHA-256 of its bytes.</summary>
public static class MediaStorePaths
{
    /// <summary>The path of the file with <paramref name="hash"/> (lower-case hex SHA-256) under <paramref name="mediaDir"/>.</summary>
    public static string For(string mediaDir, string hash)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        if (hash.Length < 5 || !hash.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"\"{hash}\" is not a content hash.", nameof(hash));
        }

        // The media store's layout: media/aa/bb/<sha256> (FileSystemMediaStore).
        return Path.Combine(mediaDir, hash[..2], hash[2..4], hash);
    }

    /// <summary>The files stored for this hash (sharded or flat, with or without an extension), for removal.</summary>
    public static IEnumerable<string> Candidates(string mediaDir, string hash)
    {
        if (hash.Length < 5 || !hash.All(char.IsAsciiHexDigit))
        {
            return [];
        }

        return new[] { Path.Combine(mediaDir, hash[..2], hash[2..4]), Path.Combine(mediaDir, hash[..2]), mediaDir }
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, hash + "*"))
            .Where(path => Path.GetFileName(path) is var name && (name == hash || name.StartsWith(hash + ".", StringComparison.Ordinal)))
            .ToList();
    }
}
