using System.Globalization;
using System.Text.Json;

namespace LabelBench.Core.Media;

/// <summary>Peaks a browser sent that do not fit the audio they claim to describe; the message names the field.</summary>
public sealed class BrowserPeaksException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}

/// <summary>
/// Waveform peaks computed by a member's browser for audio the server cannot decode (MP3, OGG, FLAC), checked and
/// rewritten in the format of <see cref="WavPeaks"/> so the next open of the file draws at once. The browser sends
/// <c>{"duration": s, "peaksPerSecond": p, "peaks": [min0, max0, min1, max1, …]}</c> (or the peaks nested in one array,
/// as <see cref="WavPeaks"/> writes them). The duration must match the one read from the file's header, the number of
/// buckets must match duration × rate, and every value must be a finite number in −1..1.
/// </summary>
public static class BrowserPeaks
{
    /// <summary>Largest body accepted: a bit over what 100 peaks per second of a 3-hour file take.</summary>
    public const int MaxBytes = 32 * 1024 * 1024;

    public static byte[] Normalise(ReadOnlySpan<byte> json, double? knownDuration)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new BrowserPeaksException("body", $"not JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BrowserPeaksException("body", "must be a JSON object with duration, peaksPerSecond and peaks");
            }

            var duration = Number(root, "duration");
            if (!(duration > 0) || duration > 24 * 3600)
            {
                throw new BrowserPeaksException("duration", "must be a number of seconds above 0 and at most 24 hours");
            }

            if (knownDuration is { } known && Math.Abs(known - duration) > Math.Max(0.5, known * 0.01))
            {
                throw new BrowserPeaksException("duration", string.Create(CultureInfo.InvariantCulture,
                    $"is {duration:0.###} s, but the file's header says {known:0.###} s"));
            }

            var rate = Number(root, "peaksPerSecond");
            if (rate != Math.Floor(rate) || rate < 1 || rate > 1000)
            {
                throw new BrowserPeaksException("peaksPerSecond", "must be a whole number from 1 to 1000");
            }

            if (!root.TryGetProperty("peaks", out var peaks) || peaks.ValueKind != JsonValueKind.Array)
            {
                throw new BrowserPeaksException("peaks", "must be an array of numbers (min, max per bucket)");
            }

            if (peaks.GetArrayLength() == 1 && peaks[0].ValueKind == JsonValueKind.Array)
            {
                peaks = peaks[0];
            }

            var values = peaks.GetArrayLength();
            var buckets = (long)Math.Ceiling(duration * rate);
            if (values % 2 != 0 || Math.Abs((values / 2) - buckets) > 1)
            {
                throw new BrowserPeaksException("peaks", string.Create(CultureInfo.InvariantCulture,
                    $"has {values} values, but {duration:0.###} s at {rate} per second needs {buckets} (min, max) pairs"));
            }

            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", 1);
                writer.WriteNumber("duration", Math.Round(duration, 6));
                writer.WriteNumber("peaksPerSecond", (int)rate);
                writer.WriteNumber("length", values / 2);
                writer.WriteString("source", "browser");
                writer.WriteStartArray("peaks");
                writer.WriteStartArray();
                var index = 0;
                foreach (var value in peaks.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var v) || !double.IsFinite(v) || v < -1 || v > 1)
                    {
                        throw new BrowserPeaksException($"peaks[{index}]", "must be a number from -1 to 1");
                    }

                    writer.WriteNumberValue(Math.Round(v, 4));
                    index++;
                }

                writer.WriteEndArray();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            return output.ToArray();
        }
    }

    private static double Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new BrowserPeaksException(name, "must be a number");
}
