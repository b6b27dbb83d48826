using System.Globalization;

namespace LabelBench.Web.Components.Agreement;

/// <summary>Colours and number formats shared by the agreement charts.</summary>
public static class ChartColors
{
    /// <summary>Red (−1 or 0) through amber to green (1) for an agreement value; grey when undefined.</summary>
    public static string ForAgreement(double? value)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            return "#e0e0e0";
        }

        var t = Math.Clamp(v, 0, 1);
        var (r, g, b) = t < 0.5
            ? Lerp((229, 57, 53), (255, 193, 7), t / 0.5)
            : Lerp((255, 193, 7), (67, 160, 71), (t - 0.5) / 0.5);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    /// <summary>White to indigo for a count relative to the largest.</summary>
    public static string ForCount(int count, int max)
    {
        var t = max == 0 ? 0 : (double)count / max;
        var (r, g, b) = Lerp((255, 255, 255), (57, 73, 171), t);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    public static string TextOn(string background) =>
        Convert.ToInt32(background[1..3], 16) * 0.299 + Convert.ToInt32(background[3..5], 16) * 0.587 + Convert.ToInt32(background[5..7], 16) * 0.114 > 150 ? "#212121" : "#ffffff";

    public static string Format(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    private static (int, int, int) Lerp((int R, int G, int B) a, (int R, int G, int B) b, double t) =>
        ((int)Math.Round(a.R + (b.R - a.R) * t), (int)Math.Round(a.G + (b.G - a.G) * t), (int)Math.Round(a.B + (b.B - a.B) * t));
}
