using System.IO.Compression;
using LabelBench.Core.Media;

namespace LabelBench.Core.Tests.Media;

public class ArchivePathTests
{
    [Theory]
    [InlineData("images/a.png", "images/a.png")]
    [InlineData("./images//a.png", "images/a.png")]
    [InlineData("a/./b/c.wav", "a/b/c.wav")]
    [InlineData("cafe\u0301.png", "café.png")]
    public void Normalises_relative_paths(string name, string expected)
    {
        Assert.Equal(expected, ArchivePath.Normalize(name, out var problem));
        Assert.Empty(problem);
    }

    [Theory]
    [InlineData("../evil.png", "climbs out")]
    [InlineData("images/../../evil.png", "climbs out")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/Windows/evil.png", "\":\"")]
    [InlineData("C:evil.png", "\":\"")]
    [InlineData("..\\evil.png", "backslash")]
    [InlineData("images\\a.png", "backslash")]
    [InlineData("a\u0000.png", "control characters")]
    [InlineData("", "no name")]
    [InlineData("./", "names no file")]
    public void Refuses_escaping_absolute_and_tricky_paths(string name, string reason)
    {
        Assert.Null(ArchivePath.Normalize(name, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_overlong_paths_and_segments()
    {
        Assert.Null(ArchivePath.Normalize(new string('a', ArchivePath.MaxLength + 1), out var path));
        Assert.Contains("longer than", path, StringComparison.Ordinal);
        Assert.Null(ArchivePath.Normalize(new string('a', 300) + "/b.png", out var segment));
        Assert.Contains("longer than 255", segment, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolves_manifest_references_against_the_manifest_folder()
    {
        Assert.Equal("set/images/a.png", ArchivePath.Resolve("./images/a.png", "set", out _));
        Assert.Equal("images/a.png", ArchivePath.Resolve("images/a.png", "", out _));
        Assert.Null(ArchivePath.Resolve("../a.png", "set", out var problem));
        Assert.Contains("climbs out", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbolic_links_are_recognised_from_unix_mode_bits()
    {
        Assert.True(ArchivePath.IsSymbolicLink(unchecked((int)0xA1FF_0000)));
        Assert.False(ArchivePath.IsSymbolicLink(unchecked((int)0x81A4_0000)));
        Assert.False(ArchivePath.IsSymbolicLink(0x20));
    }

    [Theory]
    [InlineData("__MACOSX/images/._a.png", true)]
    [InlineData("images/.DS_Store", true)]
    [InlineData("Thumbs.db", true)]
    [InlineData("images/a.png", false)]
    public void Recognises_archiver_clutter(string path, bool clutter) => Assert.Equal(clutter, ArchivePath.IsClutter(path));

    [Fact]
    public void Entry_check_refuses_links_oversize_and_bombs()
    {
        var limits = MediaLimits.Default;
        Assert.Equal("a.png", ArchiveEntryCheck.Check("a.png", 0, 5000, 4900, limits.MaxImageBytes, limits, out _));

        Assert.Null(ArchiveEntryCheck.Check("link.png", unchecked((int)0xA1FF_0000), 10, 10, limits.MaxImageBytes, limits, out var link));
        Assert.Contains("symbolic link", link, StringComparison.Ordinal);

        Assert.Null(ArchiveEntryCheck.Check("big.png", 0, limits.MaxImageBytes + 1, limits.MaxImageBytes, limits.MaxImageBytes, limits, out var big));
        Assert.Contains("larger than the limit", big, StringComparison.Ordinal);

        Assert.Null(ArchiveEntryCheck.Check("bomb.wav", 0, 50L << 20, 50_000, limits.MaxAudioBytes, limits, out var bomb));
        Assert.Contains("zip bomb", bomb, StringComparison.Ordinal);
        Assert.Contains("1049:1", bomb, StringComparison.Ordinal);

        // Small files that pack well are harmless.
        Assert.NotNull(ArchiveEntryCheck.Check("manifest.jsonl", 0, 500_000, 1_000, long.MaxValue, limits, out _));
    }

    [Fact]
    public void Declared_entry_count_is_read_from_the_end_record()
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 7; i++)
            {
                using var w = new StreamWriter(archive.CreateEntry($"f{i}.txt").Open());
                w.Write(i);
            }
        }

        Assert.Equal(7, ZipDirectory.DeclaredEntryCount(zip));

        // A forged count is what the reader must refuse, not trust: it is reported as declared.
        var bytes = zip.ToArray();
        var end = bytes.AsSpan().LastIndexOf("PK\x05\x06"u8);
        bytes[end + 10] = 0xFE;
        bytes[end + 11] = 0xFF;
        Assert.Equal(0xFFFE, ZipDirectory.DeclaredEntryCount(new MemoryStream(bytes)));

        Assert.Null(ZipDirectory.DeclaredEntryCount(new MemoryStream("not a zip at all, just text"u8.ToArray())));
    }
}
