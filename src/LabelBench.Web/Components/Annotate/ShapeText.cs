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
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString(format, CultureInfo.InvariantCulture) : "?";
}
