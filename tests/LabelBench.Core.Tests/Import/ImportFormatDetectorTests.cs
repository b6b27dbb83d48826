using System.Text;
using LabelBench.Core.Import;

namespace LabelBench.Core.Tests.Import;

public class ImportFormatDetectorTests
{
    public static TheoryData<string, byte[], ImportFormat, string> Media => new()
    {
        { "a.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], ImportFormat.Image, "image/png" },
        { "a.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F'], ImportFormat.Image, "image/jpeg" },
        { "a.gif", Encoding.ASCII.GetBytes("GIF89a\x01\x00"), ImportFormat.Image, "image/gif" },
        { "a.gif", Encoding.ASCII.GetBytes("GIF87a\x01\x00"), ImportFormat.Image, "image/gif" },
        { "a.webp", Encoding.ASCII.GetBytes("RIFF\x10\x00\x00\x00WEBPVP8 "), ImportFormat.Image, "image/webp" },
        { "a.wav", Encoding.ASCII.GetBytes("RIFF\x10\x00\x00\x00WAVEfmt "), ImportFormat.Audio, "audio/wav" },
        { "a.mp3", Encoding.ASCII.GetBytes("ID3\x04\x00\x00"), ImportFormat.Audio, "audio/mpeg" },
        { "a.mp3", [0xFF, 0xFB, 0x90, 0x64], ImportFormat.Audio, "audio/mpeg" },
        { "a.ogg", Encoding.ASCII.GetBytes("OggS\x00\x02"), ImportFormat.Audio, "audio/ogg" },
        { "a.flac", Encoding.ASCII.GetBytes("fLaC\x00\x00"), ImportFormat.Audio, "audio/flac" },
        { "a.zip", [(byte)'P', (byte)'K', 3, 4, 20, 0], ImportFormat.Zip, "application/zip" },
        { "empty.zip", [(byte)'P', (byte)'K', 5, 6, 0, 0], ImportFormat.Zip, "application/zip" },
        { "no-extension", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], ImportFormat.Image, "image/png" },
        { "UPPER.PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], ImportFormat.Image, "image/png" },
    };

    [Theory]
    [MemberData(nameof(Media))]
    public void Media_and_archives_are_told_by_their_magic_bytes(string name, byte[] head, ImportFormat format, string mediaType)
    {
        var detection = ImportFormatDetector.Detect(name, head);

        Assert.True(detection.IsSupported, detection.Error);
        Assert.Equal(format, detection.Format);
        Assert.Equal(mediaType, detection.MediaType);
    }

    [Fact]
    public void Image_with_the_extension_of_another_image_type_takes_its_content_type()
    {
        var detection = ImportFormatDetector.Detect("photo.jpg", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

        Assert.Equal(ImportFormat.Image, detection.Format);
        Assert.Equal("image/png", detection.MediaType);
    }

    [Theory]
    [InlineData("data.csv", new byte[] { (byte)'P', (byte)'K', 3, 4 }, "the name says CSV but the content is application/zip")]
    [InlineData("cat.png", new byte[] { (byte)'f', (byte)'L', (byte)'a', (byte)'C' }, "the name says an image but the content is audio/flac")]
    [InlineData("cat.png", new byte[] { (byte)'h', (byte)'i' }, "the content is not an image (image/png)")]
    [InlineData("song.mp3", new byte[] { 0, 0, 0 }, "the content is not audio")]
    [InlineData("a.zip", new byte[] { (byte)'{', (byte)'}' }, "the content is not a zip archive")]
    public void Content_that_contradicts_the_name_is_refused(string name, byte[] head, string message)
    {
        var detection = ImportFormatDetector.Detect(name, head);

        Assert.False(detection.IsSupported);
        Assert.Contains(message, detection.Error, StringComparison.Ordinal);
        Assert.StartsWith(name, detection.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("items.csv", "id,text\n", ImportFormat.Csv)]
    [InlineData("items.tsv", "id\ttext\n", ImportFormat.Csv)]
    [InlineData("items.jsonl", "{\"a\": 1}\n", ImportFormat.Jsonl)]
    [InlineData("items.ndjson", "{\"a\": 1}\n", ImportFormat.Jsonl)]
    [InlineData("items.json", "  {\"a\": 1}\n", ImportFormat.Jsonl)]
    [InlineData("items", "\n{\"a\": 1}\n", ImportFormat.Jsonl)]
    [InlineData("items.jsonl", "", ImportFormat.Jsonl)]
    public void Text_formats_are_told_by_extension_or_first_character(string name, string content, ImportFormat format)
    {
        var detection = ImportFormatDetector.Detect(name, Encoding.UTF8.GetBytes(content));

        Assert.True(detection.IsSupported, detection.Error);
        Assert.Equal(format, detection.Format);
    }

    [Theory]
    [InlineData("items.json")]
    [InlineData("items.jsonl")]
    [InlineData("items")]
    public void Json_array_is_refused_with_a_hint(string name)
    {
        var detection = ImportFormatDetector.Detect(name, [0xEF, 0xBB, 0xBF, .. "\n [{\"a\": 1}]"u8]);

        Assert.False(detection.IsSupported);
        Assert.Contains("JSON array is not supported; write one JSON object per line (JSONL)", detection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_text_is_refused()
    {
        var detection = ImportFormatDetector.Detect("items.csv", [0xFF, 0xFE, (byte)'i', 0, (byte)'d', 0]);

        Assert.Contains("UTF-16", detection.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report.pdf", "\".pdf\" files are not supported")]
    [InlineData("README", "cannot tell the file type")]
    public void Unknown_files_are_refused_listing_what_is_supported(string name, string message)
    {
        var detection = ImportFormatDetector.Detect(name, "%PDF-1.7"u8);

        Assert.Equal(ImportFormat.Unknown, detection.Format);
        Assert.Contains(message, detection.Error, StringComparison.Ordinal);
        Assert.Contains("JSONL", detection.Error, StringComparison.Ordinal);
    }
}
