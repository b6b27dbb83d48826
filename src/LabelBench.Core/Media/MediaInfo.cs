namespace LabelBench.Core.Media;

/// <summary>What a media file's header says: its kind, content type and dimensions or duration.</summary>
public sealed record MediaInfo(MediaKind Kind, string ContentType, int? Width = null, int? Height = null, double? DurationSeconds = null);

/// <summary>The outcome of <see cref="MediaProbe.Probe"/>: what the file is, or why it is refused.</summary>
/// <param name="Wav">For WAV files, the sample layout (for waveform peaks).</param>
public sealed record MediaProbeResult(MediaInfo? Info, WavFormat? Wav, string? Error)
{
    public static MediaProbeResult Refused(string error) => new(null, null, error);
}
