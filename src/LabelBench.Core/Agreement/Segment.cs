namespace LabelBench.Core.Agreement;

/// <summary>A labelled time region of an audio item, in seconds.</summary>
public sealed record Segment(double Start, double End, string Label)
{
    public double Duration => End - Start;
}
