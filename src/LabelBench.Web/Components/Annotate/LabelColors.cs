using System.Text.RegularExpressions;
using LabelBench.Core.Schemas;

namespace LabelBench.Web.Components.Annotate;

/// <summary>The colour of a label: the schema's when it gives a valid hex colour, else one of a fixed palette by position.</summary>
public static partial class LabelColors
{
    private static readonly string[] Palette = ["#1e88e5", "#8e24aa", "#43a047", "#fb8c00", "#e53935", "#00897b", "#6d4c41", "#3949ab", "#c0ca33", "#d81b60"];

    public static string For(SchemaField field, string label)
    {
        var index = field.Options.ToList().FindIndex(o => o.Value == label);
        var option = index >= 0 ? field.Options[index] : null;
        if (option?.Color is { } color && HexColor().IsMatch(color))
        {
            return color.Length == 4 ? $"#{color[1]}{color[1]}{color[2]}{color[2]}{color[3]}{color[3]}" : color;
        }

        return Palette[(index < 0 ? 0 : index) % Palette.Length];
    }

    /// <summary>The colour with an alpha channel (00..ff), for tints behind text.</summary>
    public static string Tint(string hex, string alpha) => hex + alpha;

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();
}
