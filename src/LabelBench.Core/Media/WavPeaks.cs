using System.Buffers.Binary;
using System.Text.Json;

namespace LabelBench.Core.Media;

/// <summary>
/// Waveform peaks of a PCM or float WAV, read in one streamed pass with constant memory. The JSON it writes is
/// <c>{"version":1,"duration":s,"sampleRate":hz,"channels":n,"peaksPerSecond":p,"length":buckets,"peaks":[[min0,max0,min1,max1,…]]}</c>:
/// for each bucket of 1/p seconds, the lowest and highest sample over all channels, normalised to −1..1, interleaved
/// in one array. wavesurfer.js draws it as is (<c>peaks: json.peaks, duration: json.duration</c>).
/// </summary>
public static class WavPeaks
{
    public const int DefaultPeaksPerSecond = 100;
    public const string ContentType = "application/json";
    private const int FramesPerRead = 8192;
    private const int FlushBytes = 32 * 1024;

    public static async Task WriteJsonAsync(Stream wav, WavFormat format, Stream output, int peaksPerSecond = DefaultPeaksPerSecond, CancellationToken ct = default)
    {
        var rate = Math.Clamp(peaksPerSecond, 1, format.SampleRate);
        var frames = format.Frames;
        var buckets = (frames * rate + format.SampleRate - 1) / format.SampleRate;
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteNumber("version", 1);
        json.WriteNumber("duration", Math.Round(format.DurationSeconds, 6));
        json.WriteNumber("sampleRate", format.SampleRate);
        json.WriteNumber("channels", format.Channels);
        json.WriteNumber("peaksPerSecond", rate);
        json.WriteNumber("length", buckets);
        json.WriteStartArray("peaks");
        json.WriteStartArray();

        var buffer = new byte[format.BlockAlign * FramesPerRead];
        wav.Position = format.DataOffset;
        var remaining = format.DataLength;
        var frame = 0L;
        var bucket = 0L;
        var bucketEnd = NextBucketEnd(0, rate, format.SampleRate);
        float min = 0, max = 0;
        var any = false;
        var sampleBytes = format.BitsPerSample / 8;
        while (remaining > 0)
        {
            var want = (int)Math.Min(buffer.Length, remaining);
            var read = await wav.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, ct);
            var whole = read - (read % format.BlockAlign);
            if (whole == 0)
            {
                break;
            }

            remaining -= whole;
            for (var offset = 0; offset < whole; offset += format.BlockAlign, frame++)
            {
                if (frame == bucketEnd)
                {
                    Write(json, min, max);
                    bucket++;
                    bucketEnd = NextBucketEnd(bucket, rate, format.SampleRate);
                    any = false;
                }

                for (var c = 0; c < format.Channels; c++)
                {
                    var v = Sample(buffer.AsSpan(offset + (c * sampleBytes), sampleBytes), format.IsFloat);
                    if (!any)
                    {
                        min = max = v;
                        any = true;
                    }
                    else if (v < min)
                    {
                        min = v;
                    }
                    else if (v > max)
                    {
                        max = v;
                    }
                }
            }

            if (json.BytesPending > FlushBytes)
            {
                await json.FlushAsync(ct);
            }

            if (whole < want)
            {
                break;
            }
        }

        if (any)
        {
            Write(json, min, max);
        }

        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    /// <summary>The first frame of the bucket after <paramref name="bucket"/>.</summary>
    private static long NextBucketEnd(long bucket, int rate, int sampleRate) => ((bucket + 1) * sampleRate + rate - 1) / rate;

    private static void Write(Utf8JsonWriter json, float min, float max)
    {
        // Adding 0 turns a rounded −0 into 0, which is shorter.
        json.WriteNumberValue(Math.Round(min, 3) + 0.0);
        json.WriteNumberValue(Math.Round(max, 3) + 0.0);
    }

    /// <summary>One sample normalised to −1..1: 8-bit unsigned, 16/24/32-bit signed little-endian, or 32/64-bit float.</summary>
    internal static float Sample(ReadOnlySpan<byte> b, bool isFloat)
    {
        float v;
        if (isFloat)
        {
            v = b.Length == 4 ? BinaryPrimitives.ReadSingleLittleEndian(b) : (float)BinaryPrimitives.ReadDoubleLittleEndian(b);
            return float.IsNaN(v) ? 0 : Math.Clamp(v, -1f, 1f);
        }

        return b.Length switch
        {
            1 => (b[0] - 128) / 128f,
            2 => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768f,
            3 => ((sbyte)b[2] << 16 | b[1] << 8 | b[0]) / 8388608f,
            _ => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648f,
        };
    }
}
