using LabelBench.Core.Media;
using static LabelBench.Core.Tests.Media.MediaBytes;

namespace LabelBench.Core.Tests.Media;

public class CompressedAudioHeaderTests
{
    [Fact]
    public void Flac_duration_comes_from_streaminfo()
    {
        Assert.True(FlacHeaderReader.TryRead(Stream(Flac(44100, 2, 16, 44100 * 90)), out var info, out var error), error);
        Assert.Equal(new AudioInfo(44100, 2, 90.0), info);
    }

    [Fact]
    public void Flac_with_unknown_total_has_no_duration()
    {
        Assert.True(FlacHeaderReader.TryRead(Stream(Flac(48000, 1, 24, 0)), out var info, out _));
        Assert.Null(info.DurationSeconds);
    }

    [Fact]
    public void Flac_broken_headers_are_refused()
    {
        Assert.False(FlacHeaderReader.TryRead(Stream(Flac(44100, 2, 16, 1)[..20]), out _, out var truncated));
        Assert.Contains("truncated", truncated, StringComparison.Ordinal);

        var notFirst = Flac(44100, 2, 16, 1);
        notFirst[4] = 0x84; // VORBIS_COMMENT first
        Assert.False(FlacHeaderReader.TryRead(Stream(notFirst), out _, out var order));
        Assert.Contains("STREAMINFO", order, StringComparison.Ordinal);

        Assert.False(FlacHeaderReader.TryRead(Stream(Flac(0, 2, 16, 1)), out _, out var rate));
        Assert.Contains("sample rate", rate, StringComparison.Ordinal);

        Assert.False(FlacHeaderReader.TryRead(Stream(Flac(44100, 2, 16, 1, minBlock: 8)), out _, out var blocks));
        Assert.Contains("block sizes", blocks, StringComparison.Ordinal);
    }

    [Fact]
    public void Ogg_vorbis_duration_is_the_last_granule_over_the_sample_rate()
    {
        Assert.True(OggHeaderReader.TryRead(Stream(OggVorbis(44100, 2, 44100 * 12)), out var info, out var error), error);
        Assert.Equal(new AudioInfo(44100, 2, 12.0), info);
    }

    [Fact]
    public void Ogg_opus_duration_counts_48k_granules_less_pre_skip()
    {
        Assert.True(OggHeaderReader.TryRead(Stream(OggOpus(1, 312, 48000 * 5 + 312)), out var info, out var error), error);
        Assert.Equal(1, info.Channels);
        Assert.Equal(5.0, info.DurationSeconds!.Value, 6);
    }

    [Fact]
    public void Ogg_without_final_page_or_with_unknown_codec_is_refused()
    {
        var firstPageOnly = OggPage(0x02, 0, 0, [1, .. "vorbis"u8.ToArray(), 0, 0, 0, 0, 2, 0x44, 0xAC, 0, 0, .. new byte[14]]);
        var truncated = firstPageOnly[..40];
        Assert.False(OggHeaderReader.TryRead(Stream(truncated), out _, out var cut));
        Assert.Contains("truncated", cut, StringComparison.Ordinal);

        Assert.False(OggHeaderReader.TryRead(Stream(firstPageOnly), out _, out var headersOnly));
        Assert.Contains("no final page", headersOnly, StringComparison.Ordinal);

        var speex = OggPage(0x02, 0, 0, [.. "Speex   "u8.ToArray(), .. new byte[72]]);
        Assert.False(OggHeaderReader.TryRead(Stream(speex), out _, out var codec));
        Assert.Contains("neither Vorbis nor Opus", codec, StringComparison.Ordinal);

        var notBos = OggVorbis(44100, 2, 100);
        notBos[5] = 0;
        Assert.False(OggHeaderReader.TryRead(Stream(notBos), out _, out var bos));
        Assert.Contains("begin a stream", bos, StringComparison.Ordinal);
    }

    [Fact]
    public void Mp3_cbr_duration_comes_from_size_and_bit_rate()
    {
        Assert.True(Mp3HeaderReader.TryRead(Stream(Mp3(100, id3v1: true)), out var info, out var error), error);
        Assert.Equal(44100, info.SampleRate);
        Assert.Equal(2, info.Channels);
        Assert.Equal(100 * 417 * 8 / 128_000.0, info.DurationSeconds!.Value, 6);
    }

    [Theory]
    [InlineData("Xing")]
    [InlineData("Info")]
    [InlineData("VBRI")]
    public void Mp3_vbr_duration_comes_from_the_frame_count(string tag)
    {
        Assert.True(Mp3HeaderReader.TryRead(Stream(Mp3(5, vbrTag: tag, vbrFrames: 1000)), out var info, out var error), error);
        Assert.Equal(1000 * 1152 / 44100.0, info.DurationSeconds!.Value, 6);
    }

    [Fact]
    public void Mp3_sync_is_found_after_junk_and_confirmed_by_the_next_frame()
    {
        byte[] junk = [0xFF, 0xFB, 0x90, 0x00, 1, 2, 3]; // a lone header-like pattern the next frame does not confirm
        var bytes = (byte[])[.. junk, .. Mp3(10, id3: false)];
        Assert.True(Mp3HeaderReader.TryRead(Stream(bytes), out var info, out var error), error);
        Assert.Equal(10 * 417 * 8 / 128_000.0, info.DurationSeconds!.Value, 6);
    }

    [Fact]
    public void Mp3_without_frames_or_with_bad_id3_size_is_refused()
    {
        var noFrames = (byte[])[.. "ID3"u8.ToArray(), 4, 0, 0, 0, 0, 0, 10, .. new byte[10], .. new byte[500]];
        Assert.False(Mp3HeaderReader.TryRead(Stream(noFrames), out _, out var frames));
        Assert.Contains("no MPEG Layer III frame", frames, StringComparison.Ordinal);

        var badSize = Mp3(3);
        badSize[6] = 0x80;
        Assert.False(Mp3HeaderReader.TryRead(Stream(badSize), out _, out var size));
        Assert.Contains("ID3v2", size, StringComparison.Ordinal);

        var onlyTag = (byte[])[.. "ID3"u8.ToArray(), 4, 0, 0, 0, 0, 0x7F, 0x7F];
        Assert.False(Mp3HeaderReader.TryRead(Stream(onlyTag), out _, out var tag));
        Assert.Contains("no audio", tag, StringComparison.Ordinal);
    }
}
