using LabelBench.Core.Media;
using static LabelBench.Core.Tests.Media.MediaBytes;

namespace LabelBench.Core.Tests.Media;

public class WavHeaderReaderTests
{
    [Fact]
    public void Reads_pcm_layout_and_duration_past_other_chunks()
    {
        var bytes = Wav(2, 8000, 16, new byte[8000 * 4 * 3]);
        Assert.True(WavHeaderReader.TryRead(Stream(bytes), out var format, out var error), error);
        Assert.False(format.IsFloat);
        Assert.Equal(2, format.Channels);
        Assert.Equal(8000, format.SampleRate);
        Assert.Equal(4, format.BlockAlign);
        Assert.Equal(3.0, format.DurationSeconds, 6);
        Assert.Equal(bytes.Length - (8000 * 4 * 3), format.DataOffset);
    }

    [Theory]
    [InlineData(24, false)]
    [InlineData(32, false)]
    [InlineData(32, true)]
    [InlineData(64, true)]
    public void Reads_wave_format_extensible(int bits, bool isFloat)
    {
        var bytes = Wav(1, 48000, bits, new byte[48000 * bits / 8], isFloat, extensible: true);
        Assert.True(WavHeaderReader.TryRead(Stream(bytes), out var format, out var error), error);
        Assert.Equal(isFloat, format.IsFloat);
        Assert.Equal(bits, format.BitsPerSample);
        Assert.Equal(1.0, format.DurationSeconds, 6);
    }

    [Fact]
    public void Streaming_size_markers_take_the_rest_of_the_file()
    {
        var bytes = Wav(1, 1000, 8, new byte[500], declaredDataLength: 0xFFFFFFFF);
        Assert.True(WavHeaderReader.TryRead(Stream(bytes), out var format, out _));
        Assert.Equal(0.5, format.DurationSeconds, 6);
    }

    [Fact]
    public void Declared_data_larger_than_the_file_is_refused_as_truncated()
    {
        var bytes = Wav(1, 44100, 16, new byte[1000], declaredDataLength: 0x7FFF_FFFF);
        Assert.False(WavHeaderReader.TryRead(Stream(bytes), out _, out var error));
        Assert.Contains("truncated", error, StringComparison.Ordinal);
        Assert.Contains("2147483647", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_headers_are_refused_with_the_reason()
    {
        var good = Wav(1, 8000, 16, new byte[100], listChunkFirst: false);
        Assert.False(WavHeaderReader.TryRead(Stream(good[..10]), out _, out var truncated));
        Assert.Contains("truncated", truncated, StringComparison.Ordinal);

        var notWave = (byte[])good.Clone();
        "AVI "u8.CopyTo(notWave.AsSpan(8));
        Assert.False(WavHeaderReader.TryRead(Stream(notWave), out _, out var magic));
        Assert.Contains("not a WAV", magic, StringComparison.Ordinal);

        var noData = Riff("WAVE", ("fmt ", good[20..36]));
        Assert.False(WavHeaderReader.TryRead(Stream(noData), out _, out var missing));
        Assert.Contains("no \"data\"", missing, StringComparison.Ordinal);

        var dataFirst = Riff("WAVE", ("data", new byte[4]), ("fmt ", good[20..36]));
        Assert.False(WavHeaderReader.TryRead(Stream(dataFirst), out _, out var order));
        Assert.Contains("before its \"fmt \"", order, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_or_inconsistent_formats_are_refused()
    {
        var adpcm = Wav(1, 8000, 16, new byte[100], listChunkFirst: false);
        adpcm[20] = 0x11;
        Assert.False(WavHeaderReader.TryRead(Stream(adpcm), out _, out var format));
        Assert.Contains("0x0011", format, StringComparison.Ordinal);

        var zeroChannels = Wav(1, 8000, 16, new byte[100], listChunkFirst: false);
        zeroChannels[22] = 0;
        Assert.False(WavHeaderReader.TryRead(Stream(zeroChannels), out _, out var channels));
        Assert.Contains("0 channels", channels, StringComparison.Ordinal);

        var badAlign = Wav(2, 8000, 16, new byte[100], listChunkFirst: false);
        badAlign[32] = 3;
        Assert.False(WavHeaderReader.TryRead(Stream(badAlign), out _, out var align));
        Assert.Contains("inconsistent", align, StringComparison.Ordinal);

        Assert.False(WavHeaderReader.TryRead(Stream(Wav(1, 8000, 12, new byte[100])), out _, out var bits));
        Assert.Contains("12-bit", bits, StringComparison.Ordinal);
    }

    [Fact]
    public void Rf64_is_refused_by_name()
    {
        var bytes = Wav(1, 8000, 16, new byte[10]);
        "RF64"u8.CopyTo(bytes);
        Assert.False(WavHeaderReader.TryRead(Stream(bytes), out _, out var error));
        Assert.Contains("RF64", error, StringComparison.Ordinal);
    }
}
