using System.Globalization;
using LabelBench.Core.Import;

namespace LabelBench.Core.Media;

/// <summary>
/// Checks an uploaded media file before anything decodes it: the content's magic bytes must match the extension, the
/// size must be within <see cref="MediaLimits"/>, and the header must parse, declaring dimensions or a duration within
/// the limits. Images still need decoding to be trusted (done where SkiaSharp lives); audio is trusted from its header.
/// </summary>
public static class MediaProbe
{
    /// <summary>Probes <paramref name="stream"/> (seekable, from its start); errors name <paramref name="fileName"/>.</summary>
    public static MediaProbeResult Probe(Stream stream, string fileName, MediaLimits limits)
    {
        var display = ArchivePath.Display(fileName);
        var promised = MediaTypes.FromFileName(fileName);
        if (promised is null)
        {
            return MediaProbeResult.Refused($"{display}: not a supported media file (expected {MediaTypes.Describe()})");
        }

        var head = new byte[(int)Math.Min(ImportFormatDetector.HeadLength, stream.Length)];
        StreamReads.TryReadAt(stream, 0, head);
        var detection = ImportFormatDetector.Detect(fileName, head);
        if (!detection.IsSupported)
        {
            return MediaProbeResult.Refused(detection.Error ?? $"{display}: the content is not {promised}");
        }

        // Stricter than the import detector: a .jpg must hold a JPEG, so what the name says is what is served.
        if (detection.MediaType != promised)
        {
            return MediaProbeResult.Refused($"{display}: the name says {promised} but the content is {detection.MediaType ?? "something else"}");
        }

        var kind = MediaTypes.KindOf(promised)!.Value;
        if (stream.Length > limits.MaxBytes(kind))
        {
            return MediaProbeResult.Refused($"{display}: {Bytes(stream.Length)} is larger than the limit of {Bytes(limits.MaxBytes(kind))} for {(kind == MediaKind.Image ? "an image" : "audio")}");
        }

        if (stream.Length == 0)
        {
            return MediaProbeResult.Refused($"{display}: the file is empty");
        }

        return kind == MediaKind.Image ? ProbeImage(stream, display, promised, limits) : ProbeAudio(stream, display, promised, limits);
    }

    private static MediaProbeResult ProbeImage(Stream stream, string display, string contentType, MediaLimits limits)
    {
        if (!ImageHeaderReader.TryRead(stream, contentType, out var size, out var error))
        {
            return MediaProbeResult.Refused($"{display}: {error}");
        }

        return CheckImageSize(size.Width, size.Height, limits) is { } tooLarge
            ? MediaProbeResult.Refused($"{display}: {tooLarge}")
            : new MediaProbeResult(new MediaInfo(MediaKind.Image, contentType, size.Width, size.Height), null, null);
    }

    /// <summary>Why an image of this size is refused, or null when it is within the limits (also used on decoded sizes).</summary>
    public static string? CheckImageSize(int width, int height, MediaLimits limits)
    {
        var pixels = (long)width * height;
        if (pixels > limits.MaxImagePixels)
        {
            return string.Create(CultureInfo.InvariantCulture, $"declares {width}×{height} pixels ({pixels / 1e6:0.#} MP), more than the limit of {limits.MaxImagePixels / 1e6:0.#} MP");
        }

        if (Math.Max(width, height) > limits.MaxImageSide)
        {
            return $"declares {width}×{height} pixels; no side may exceed {limits.MaxImageSide}";
        }

        return null;
    }

    private static MediaProbeResult ProbeAudio(Stream stream, string display, string contentType, MediaLimits limits)
    {
        WavFormat? wav = null;
        AudioInfo? audio;
        string error;
        bool ok;
        switch (contentType)
        {
            case MediaTypes.Wav:
                ok = WavHeaderReader.TryRead(stream, out var format, out error);
                wav = ok ? format : null;
                audio = wav is null ? null : new AudioInfo(wav.SampleRate, wav.Channels, wav.DurationSeconds);
                break;
            case MediaTypes.Flac:
                ok = FlacHeaderReader.TryRead(stream, out audio, out error);
                break;
            case MediaTypes.Ogg:
                ok = OggHeaderReader.TryRead(stream, out audio, out error);
                break;
            case MediaTypes.Mpeg:
                ok = Mp3HeaderReader.TryRead(stream, out audio, out error);
                break;
            default:
                return MediaProbeResult.Refused($"{display}: {contentType} is not an audio type LabelBench reads");
        }

        if (!ok || audio is null)
        {
            return MediaProbeResult.Refused($"{display}: {error}");
        }

        if (audio.Channels > limits.MaxAudioChannels)
        {
            return MediaProbeResult.Refused($"{display}: {audio.Channels} channels; at most {limits.MaxAudioChannels} are allowed");
        }

        if (audio.DurationSeconds is { } seconds && (seconds > limits.MaxAudioSeconds || double.IsNaN(seconds)))
        {
            return MediaProbeResult.Refused(string.Create(CultureInfo.InvariantCulture, $"{display}: the header declares {seconds / 3600:0.#} hours of audio, more than the limit of {limits.MaxAudioSeconds / 3600:0.#}"));
        }

        return new MediaProbeResult(new MediaInfo(MediaKind.Audio, contentType, DurationSeconds: audio.DurationSeconds), wav, null);
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.#} KB"),
        _ => $"{bytes} bytes",
    };
}
