using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Web.Components.Annotate;

/// <summary>A shape or region in a few words (its numbers as stored), for lists beside the editors.</summary>
public static class ShapeText
{
    public static string Describe(FieldKind kind, JsonObject shape) => kind switch
    {
        FieldKind.Boxes => Invariant($"{N(shape["x"])}, {N(shape["y"])} · {N(shape["width"])}×{N(shape["height"])} px"),
        FieldKind.Polygons => shape["points"] is JsonArray points ? Invariant($"{points.Count} points") : "no points",
        FieldKind.Keypoints => Invariant($"{N(shape["x"])}, {N(shape["y"])} px"),
        FieldKind.Segments => Invariant($"{N(shape["start"], "0.00")}–{N(shape["end"], "0.00")} s"),
        _ => shape.ToJsonString(),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string N(JsonNode? node, string format = "0.#") =>
        TryNumber(node, out var d) ? d.ToString(format, CultureInfo.InvariantCulture) : "?";

    /// <summary>A JSON number as a double, whether parsed from text or built in .NET from an int, a long or a double.</summary>
    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
