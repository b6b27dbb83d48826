namespace LabelBench.Core.Agreement;

/// <summary>A labelled axis-aligned box in pixels of the original image: top-left corner, width and height.</summary>
public sealed record Box(double X, double Y, double Width, double Height, string Label)
{
    public double Area => Width * Height;
}
