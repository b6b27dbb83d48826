namespace LabelBench.Core.Media;

/// <summary>The sample layout of a WAV file and where its samples are.</summary>
/// <param name="IsFloat">IEEE float samples (32 or 64 bit); otherwise integer PCM (8 bit unsigned, 16/24/32 bit signed).</param>
/// <param name="BitsPerSample">The container size of one sample, a multiple of 8.</param>
/// <param name="BlockAlign">Bytes of one frame (one sample of every channel).</param>
public sealed record WavFormat(bool IsFloat, int Channels, int SampleRate, int BitsPerSample, int BlockAlign, long DataOffset, long DataLength)
{
    public long Frames => DataLength / BlockAlign;

    public double DurationSeconds => (double)Frames / SampleRate;
}
