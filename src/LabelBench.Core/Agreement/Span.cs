namespace LabelBench.Core.Agreement;

/// <summary>A labelled text span in character offsets, <paramref name="End"/> exclusive (as in annotation results).</summary>
public sealed record Span(int Start, int End, string Label)
{
    public int Length => End - Start;
}
