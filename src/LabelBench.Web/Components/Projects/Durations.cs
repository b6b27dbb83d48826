using System.Globalization;

namespace LabelBench.Web.Components.Projects;

/// <summary>Times for people: "850 ms", "12.4 s", "3 min 05 s".</summary>
public static class Durations
{
    public static string Format(double? milliseconds)
    {
        if (milliseconds is not { } ms)
        {
            return "–";
        }

        if (ms < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms");
        }

        var seconds = ms / 1000;
        if (seconds < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s");
        }

        var whole = (int)Math.Round(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{whole / 60} min {whole % 60:00} s");
    }
}
