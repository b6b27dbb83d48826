using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Agreement;

/// <summary>Pooled agreement of a region field (spans, boxes, segments) over every pair of annotations on each item.</summary>
public sealed record StructuredAgreementSummary(string Field, string Kind, int Items, int Pairs, MatchAgreement Pooled, double? MeanItemF1);

/// <summary>
/// Reads region values of annotation results (CONTRACT.md shapes) and compares every pair of annotators on an item:
/// span F1 (strict, labelled), box F1 by IoU matching, segment F1 by temporal IoU matching.
/// </summary>
public static class StructuredFieldAgreement
{
    public static bool Supports(FieldKind kind) => kind is FieldKind.Spans or FieldKind.Boxes or FieldKind.Segments;

    /// <summary>Agreement of two values of the field (null when the kind has no region agreement).</summary>
    public static MatchAgreement? Compare(FieldKind kind, JsonNode? first, JsonNode? second, double iouThreshold = 0.5) => kind switch
    {
        FieldKind.Spans => SpanAgreement.Compare(Spans(first), Spans(second)),
        FieldKind.Boxes => BoxAgreement.Compare(Boxes(first), Boxes(second), iouThreshold),
        FieldKind.Segments => SegmentAgreement.Compare(Segments(first), Segments(second), iouThreshold).Matches,
        _ => null,
    };

    /// <summary>Pools every pair of values on each item; items with fewer than two values are left out.</summary>
    public static StructuredAgreementSummary Summarise(SchemaField field, IEnumerable<IReadOnlyList<JsonNode?>> valuesPerItem, double iouThreshold = 0.5)
    {
        var pooled = MatchAgreement.None;
        int items = 0, pairs = 0;
        double f1Sum = 0;
        foreach (var values in valuesPerItem)
        {
            if (values.Count < 2)
            {
                continue;
            }

            items++;
            var itemTotal = MatchAgreement.None;
            for (var a = 0; a < values.Count; a++)
            {
                for (var b = a + 1; b < values.Count; b++)
                {
                    var m = Compare(field.Kind, values[a], values[b], iouThreshold) ?? MatchAgreement.None;
                    itemTotal += m;
                    pairs++;
                }
            }

            pooled += itemTotal;
            f1Sum += itemTotal.F1;
        }

        return new StructuredAgreementSummary(field.Name, field.Kind.ToName(), items, pairs, pooled, items == 0 ? null : f1Sum / items);
    }

    public static IReadOnlyList<Span> Spans(JsonNode? value) => Regions(value, o =>
        Int(o["start"]) is { } s && Int(o["end"]) is { } e && e > s ? new Span(s, e, Label(o)) : null);

    public static IReadOnlyList<Box> Boxes(JsonNode? value) => Regions(value, o =>
        Num(o["x"]) is { } x && Num(o["y"]) is { } y && Num(o["width"]) is { } w && Num(o["height"]) is { } h && w > 0 && h > 0
            ? new Box(x, y, w, h, Label(o)) : null);

    public static IReadOnlyList<Segment> Segments(JsonNode? value) => Regions(value, o =>
        Num(o["start"]) is { } s && Num(o["end"]) is { } e && e > s ? new Segment(s, e, Label(o)) : null);

    private static List<T> Regions<T>(JsonNode? value, Func<JsonObject, T?> read)
        where T : class =>
        value is JsonArray a ? a.OfType<JsonObject>().Select(read).OfType<T>().ToList() : [];

    private static string Label(JsonObject o) => o["label"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    private static double? Num(JsonNode? node) => Json.JsonNumber.TryGetDouble(node, out var d) && double.IsFinite(d) ? d : null;

    private static int? Int(JsonNode? node) => Json.JsonNumber.TryGetInt(node, out var i) ? i : null;
}
