using System.Globalization;
using System.Text;

namespace LabelBench.Core.Media;

/// <summary>
/// Rules for the paths of zip entries and the manifest references to them. A path is relative, uses <c>/</c>, never
/// climbs out (<c>..</c>), names no drive or device, and is compared in Unicode NFC with <c>.</c> and empty segments removed.
/// Nothing is ever written to disk under these names; the rules keep reports honest and hostile archives out.
/// </summary>
public static class ArchivePath
{
    public const int MaxLength = 1024;
    public const int MaxSegmentLength = 255;

    /// <summary>Unix file type bits in the high 16 bits of a zip entry's external attributes.</summary>
    private const int UnixTypeMask = 0xF000;
    private const int UnixSymlink = 0xA000;

    /// <summary>The normalised relative path of an entry name, or null with the reason it is refused.</summary>
    public static string? Normalize(string name, out string problem)
    {
        problem = string.Empty;
        if (name.Length == 0)
        {
            problem = "the entry has no name";
            return null;
        }

        if (name.Length > MaxLength)
        {
            problem = $"the path is longer than {MaxLength} characters";
            return null;
        }

        if (name.Any(char.IsControl))
        {
            problem = "the path contains control characters";
            return null;
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            problem = "the path contains a backslash; zip paths separate folders with \"/\"";
            return null;
        }

        if (name.StartsWith('/'))
        {
            problem = "the path is absolute (starts with \"/\")";
            return null;
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            problem = "the path contains \":\" (a drive letter or stream name)";
            return null;
        }

        string normalized;
        try
        {
            normalized = name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            problem = "the path is not valid Unicode";
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in normalized.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                problem = "the path climbs out of the archive (\"..\")";
                return null;
            }

            if (segment.Length > MaxSegmentLength)
            {
                problem = $"a folder or file name in the path is longer than {MaxSegmentLength} characters";
                return null;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            problem = "the path names no file";
            return null;
        }

        return string.Join('/', segments);
    }

    /// <summary>A manifest's reference resolved against the manifest's folder (<c>""</c> at the archive root), by the same rules.</summary>
    public static string? Resolve(string reference, string baseFolder, out string problem)
    {
        var relative = Normalize(reference, out problem);
        if (relative is null)
        {
            return null;
        }

        return baseFolder.Length == 0 ? relative : $"{baseFolder}/{relative}";
    }

    /// <summary>True for a folder entry (its name ends with <c>/</c>).</summary>
    public static bool IsFolder(string name) => name.EndsWith('/');

    /// <summary>True when the entry's Unix mode (high 16 bits of the external attributes) marks a symbolic link.</summary>
    public static bool IsSymbolicLink(int externalAttributes) => ((externalAttributes >> 16) & UnixTypeMask) == UnixSymlink;

    /// <summary>Operating-system clutter that archivers add (macOS resource forks, Finder and Explorer caches, hidden files).</summary>
    public static bool IsClutter(string normalizedPath)
    {
        var name = normalizedPath[(normalizedPath.LastIndexOf('/') + 1)..];
        return normalizedPath.StartsWith("__MACOSX/", StringComparison.Ordinal)
            || name.StartsWith('.')
            || name.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase)
            || name.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The folder of a normalised path (<c>""</c> at the root).</summary>
    public static string FolderOf(string normalizedPath)
    {
        var slash = normalizedPath.LastIndexOf('/');
        return slash < 0 ? string.Empty : normalizedPath[..slash];
    }

    /// <summary>A name made safe to show in a report: control characters escaped, very long names shortened.</summary>
    public static string Display(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, 200));
        foreach (var c in name)
        {
            if (builder.Length >= 200)
            {
                builder.Append('…');
                break;
            }

            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
