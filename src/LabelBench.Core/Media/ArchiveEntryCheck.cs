using System.Globalization;

namespace LabelBench.Core.Media;

/// <summary>The limits one zip entry must meet before any of it is read: path rules, no links, declared size and compression ratio.</summary>
public static class ArchiveEntryCheck
{
    /// <summary>The normalised path of a file entry, or null with the reason it is refused.</summary>
    /// <param name="maxBytes">The most the entry may hold uncompressed (by what the entry is).</param>
    public static string? Check(string name, int externalAttributes, long length, long compressedLength, long maxBytes, MediaLimits limits, out string problem)
    {
        var path = ArchivePath.Normalize(name, out problem);
        if (path is null)
        {
            return null;
        }

        if (ArchivePath.IsSymbolicLink(externalAttributes))
        {
            problem = "the entry is a symbolic link; links are not followed";
            return null;
        }

        if (length > maxBytes)
        {
            problem = $"{MediaProbe.Bytes(length)} uncompressed is larger than the limit of {MediaProbe.Bytes(maxBytes)}";
            return null;
        }

        if (IsBomb(length, compressedLength, limits))
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"compressed {length / (double)Math.Max(1, compressedLength):0}:1 ({MediaProbe.Bytes(compressedLength)} to {MediaProbe.Bytes(length)}), more than the limit of {limits.MaxCompressionRatio:0}:1 (a zip bomb?)");
            return null;
        }

        return path;
    }

    /// <summary>True when <paramref name="uncompressed"/> bytes from <paramref name="compressed"/> exceed the ratio allowed above the floor.</summary>
    public static bool IsBomb(long uncompressed, long compressed, MediaLimits limits) =>
        uncompressed >= limits.CompressionRatioFloorBytes && uncompressed > limits.MaxCompressionRatio * Math.Max(1, compressed);
}
