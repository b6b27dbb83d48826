namespace LabelBench.Core.Media;

/// <summary>What an audio header says: sample rate, channels and duration (null when the header does not tell).</summary>
public sealed record AudioInfo(int SampleRate, int Channels, double? DurationSeconds);
