namespace LabelBench.Web.Components.Review;

/// <summary>A distinct colour per annotator column, so their spans, boxes and regions tell apart over the same item.</summary>
public static class AnnotatorColors
{
    private static readonly string[] Palette = ["#1e88e5", "#e53935", "#43a047", "#8e24aa", "#fb8c00", "#00897b", "#6d4c41", "#d81b60"];

    public static string For(int index) => Palette[index % Palette.Length];
}
