using LabelBench.Core.Media;
using static LabelBench.Core.Tests.Media.MediaBytes;

namespace LabelBench.Core.Tests.Media;

public class MediaProbeTests
{
    private static MediaProbeResult Probe(byte[] bytes, string name, MediaLimits? limits = null) =>
        MediaProbe.Probe(Stream(bytes), name, limits ?? MediaLimits.Default);

    [Fact]
    public void Photo_of_8000_by_6000_passes()
    {
        var result = Probe(Jpeg(8000, 6000), "photo.jpg");
        Assert.Null(result.Error);
        Assert.Equal(new MediaInfo(MediaKind.Image, MediaTypes.Jpeg, 8000, 6000), result.Info);
    }

    [Fact]
    public void Image_bomb_is_refused_from_its_header_naming_the_file()
    {
        var result = Probe(Png(100_000, 100_000), "bomb.png");
        Assert.Null(result.Info);
        Assert.StartsWith("bomb.png: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("100000×100000", result.Error, StringComparison.Ordinal);
        Assert.Contains("100 MP", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Very_long_side_is_refused_even_under_the_pixel_limit()
    {
        var result = Probe(WebpExtended(100_000, 3), "strip.webp");
        Assert.Contains("no side may exceed 30000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Magic_bytes_must_agree_with_the_extension()
    {
        var jpegAsPng = Probe(Jpeg(10, 10), "holiday.png");
        Assert.Equal("holiday.png: the name says image/png but the content is image/jpeg", jpegAsPng.Error);

        var textAsPng = Probe("<svg onload=alert(1)>"u8.ToArray(), "x.png");
        Assert.StartsWith("x.png: ", textAsPng.Error, StringComparison.Ordinal);
        Assert.Contains("image/png", textAsPng.Error, StringComparison.Ordinal);

        var wavAsMp3 = Probe(Wav(1, 8000, 16, new byte[100]), "song.mp3");
        Assert.Contains("song.mp3", wavAsMp3.Error, StringComparison.Ordinal);
        Assert.Contains("audio/wav", wavAsMp3.Error, StringComparison.Ordinal);

        var pngAsWav = Probe(Png(1, 1), "clip.wav");
        Assert.Contains("clip.wav", pngAsWav.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_media_extensions_are_refused()
    {
        Assert.Contains("not a supported media file", Probe(Png(1, 1), "readme.txt").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_larger_than_the_kind_allows_are_refused()
    {
        var limits = MediaLimits.Default with { MaxImageBytes = 100 };
        var result = Probe(Jpeg(10, 10), "big.jpg", limits);
        Assert.Contains("larger than the limit of 100 bytes for an image", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_image_header_is_refused_naming_the_file()
    {
        var result = Probe(Png(10, 10)[..20], "cut.png");
        Assert.Equal("cut.png: the PNG header is truncated", result.Error);
    }

    [Fact]
    public void Wav_gives_duration_and_layout()
    {
        var result = Probe(Wav(1, 8000, 16, new byte[16000]), "a.wav");
        Assert.Null(result.Error);
        Assert.Equal(MediaKind.Audio, result.Info!.Kind);
        Assert.Equal(1.0, result.Info.DurationSeconds!.Value, 6);
        Assert.NotNull(result.Wav);
    }

    [Fact]
    public void Broken_wav_header_is_refused_naming_the_file()
    {
        var bytes = Wav(1, 8000, 16, new byte[100]);
        var fmt = bytes.AsSpan().IndexOf("fmt "u8);
        bytes[fmt + 10] = 0; // channels = 0
        Assert.Equal("broken.wav: the WAV header declares 0 channels", Probe(bytes, "broken.wav").Error);
    }

    [Fact]
    public void Audio_declaring_absurd_duration_is_refused()
    {
        var result = Probe(Flac(1, 1, 16, 0xF_FFFF_FFFF), "forever.flac");
        Assert.Contains("forever.flac: the header declares", result.Error, StringComparison.Ordinal);
        Assert.Contains("hours of audio", result.Error, StringComparison.Ordinal);

        var mp3 = Probe(Mp3(3, vbrTag: "Xing", vbrFrames: uint.MaxValue), "long.mp3");
        Assert.Contains("hours of audio", mp3.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_audio_type_is_probed()
    {
        Assert.Equal(12.0, Probe(OggVorbis(44100, 2, 44100 * 12), "a.ogg").Info!.DurationSeconds!.Value, 6);
        Assert.Equal(5.0, Probe(OggOpus(2, 0, 48000 * 5), "a.opus").Info!.DurationSeconds!.Value, 6);
        Assert.Equal(2.0, Probe(Flac(8000, 1, 16, 16000), "a.flac").Info!.DurationSeconds!.Value, 6);
        Assert.Equal(MediaTypes.Mpeg, Probe(Mp3(4), "a.mp3").Info!.ContentType);
    }

    [Fact]
    public void Control_characters_in_names_are_escaped_in_messages()
    {
        var result = Probe(Png(100_000, 100_000), "evil\u001b[31m.png");
        Assert.StartsWith("evil\\u001b[31m.png: ", result.Error, StringComparison.Ordinal);
    }
}
