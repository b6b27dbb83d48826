using LabelBench.Core.Media;
using static LabelBench.Core.Tests.Media.MediaBytes;

namespace LabelBench.Core.Tests.Media;

public class ImageHeaderReaderTests
{
    [Theory]
    [InlineData("png")]
    [InlineData("gif")]
    [InlineData("jpeg")]
    [InlineData("webp-lossy")]
    [InlineData("webp-lossless")]
    [InlineData("webp-extended")]
    public void Reads_dimensions_from_the_header(string format)
    {
        var (bytes, type) = format switch
        {
            "png" => (Png(640, 480), MediaTypes.Png),
            "gif" => (Gif(640, 480), MediaTypes.Gif),
            "jpeg" => (Jpeg(640, 480), MediaTypes.Jpeg),
            "webp-lossy" => (WebpLossy(640, 480), MediaTypes.Webp),
            "webp-lossless" => (WebpLossless(640, 480), MediaTypes.Webp),
            _ => (WebpExtended(640, 480), MediaTypes.Webp),
        };

        Assert.True(ImageHeaderReader.TryRead(Stream(bytes), type, out var size, out var error), error);
        Assert.Equal(new ImageSize(640, 480), size);
    }

    [Fact]
    public void Jpeg_progressive_frame_header_is_found_after_metadata()
    {
        Assert.True(ImageHeaderReader.TryRead(Stream(Jpeg(8000, 6000, sof: 0xC2, app1Length: 60_000)), MediaTypes.Jpeg, out var size, out _));
        Assert.Equal(new ImageSize(8000, 6000), size);
    }

    [Fact]
    public void Webp_extended_reads_24_bit_canvas_size()
    {
        Assert.True(ImageHeaderReader.TryRead(Stream(WebpExtended(100_000, 3)), MediaTypes.Webp, out var size, out _));
        Assert.Equal(new ImageSize(100_000, 3), size);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(28)]
    public void Truncated_png_header_is_refused(int keep)
    {
        Assert.False(ImageHeaderReader.TryRead(Stream(Png(10, 10)[..keep]), MediaTypes.Png, out _, out var error));
        Assert.Contains("truncated", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Png_without_ihdr_first_is_refused()
    {
        var bytes = Png(10, 10);
        "IDAT"u8.CopyTo(bytes.AsSpan(12));
        Assert.False(ImageHeaderReader.TryRead(Stream(bytes), MediaTypes.Png, out _, out var error));
        Assert.Contains("IHDR", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Png_with_zero_width_or_invalid_colour_type_is_refused()
    {
        Assert.False(ImageHeaderReader.TryRead(Stream(Png(0, 10)), MediaTypes.Png, out _, out var empty));
        Assert.Contains("empty", empty, StringComparison.Ordinal);
        Assert.False(ImageHeaderReader.TryRead(Stream(Png(10, 10, colorType: 5)), MediaTypes.Png, out _, out var colour));
        Assert.Contains("colour type", colour, StringComparison.Ordinal);
        Assert.False(ImageHeaderReader.TryRead(Stream(Png(0x8000_0000, 1)), MediaTypes.Png, out _, out var huge));
        Assert.Contains("impossible", huge, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_truncated_inside_metadata_is_refused()
    {
        var bytes = Jpeg(100, 100, app1Length: 5000)[..2000];
        Assert.False(ImageHeaderReader.TryRead(Stream(bytes), MediaTypes.Jpeg, out _, out var error));
        Assert.Contains("ends", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_with_scan_before_frame_header_is_refused()
    {
        byte[] bytes = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0, 0xFF, 0xD9];
        Assert.False(ImageHeaderReader.TryRead(Stream(bytes), MediaTypes.Jpeg, out _, out var error));
        Assert.Contains("no frame header", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_with_impossible_segment_length_or_garbage_between_segments_is_refused()
    {
        byte[] shortSegment = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0, 0];
        Assert.False(ImageHeaderReader.TryRead(Stream(shortSegment), MediaTypes.Jpeg, out _, out var length));
        Assert.Contains("impossible length", length, StringComparison.Ordinal);

        byte[] garbage = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0x12, 0x34, 0, 0];
        Assert.False(ImageHeaderReader.TryRead(Stream(garbage), MediaTypes.Jpeg, out _, out var marker));
        Assert.Contains("no marker", marker, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_with_height_left_to_dnl_is_refused()
    {
        Assert.False(ImageHeaderReader.TryRead(Stream(Jpeg(100, 0)), MediaTypes.Jpeg, out _, out var error));
        Assert.Contains("DNL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_for_the_type_is_refused()
    {
        Assert.False(ImageHeaderReader.TryRead(Stream(Gif(1, 1)), MediaTypes.Png, out _, out var png));
        Assert.Contains("not a PNG", png, StringComparison.Ordinal);
        Assert.False(ImageHeaderReader.TryRead(Stream(Png(1, 1)), MediaTypes.Gif, out _, out var gif));
        Assert.Contains("not a GIF", gif, StringComparison.Ordinal);
        Assert.False(ImageHeaderReader.TryRead(Stream(Png(1, 1)), MediaTypes.Jpeg, out _, out var jpeg));
        Assert.Contains("not a JPEG", jpeg, StringComparison.Ordinal);
    }

    [Fact]
    public void Webp_with_broken_frame_or_unknown_chunk_is_refused()
    {
        var lossy = WebpLossy(10, 10);
        lossy[23] = 0;
        Assert.False(ImageHeaderReader.TryRead(Stream(lossy), MediaTypes.Webp, out _, out var broken));
        Assert.Contains("VP8", broken, StringComparison.Ordinal);

        var unknown = Riff("WEBP", ("ALPH", new byte[20]));
        Assert.False(ImageHeaderReader.TryRead(Stream(unknown), MediaTypes.Webp, out _, out var chunk));
        Assert.Contains("no VP8", chunk, StringComparison.Ordinal);
    }
}
