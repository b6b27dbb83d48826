using System.Globalization;
using System.Text.Json.Nodes;

namespace LabelBench.Web.Components.Annotate;

/// <summary>One stored span: code point offsets (end exclusive), as CONTRACT.md's result has them.</summary>
public sealed record SpanValue(int Start, int End, string Label);

/// <summary>A span as the editor draws it: its stored offsets, the browser's UTF-16 offsets and the lane of its underline.</summary>
public sealed record SpanView(SpanValue Span, int Utf16Start, int Utf16End, int Lane);

/// <summary>A run of text between two span boundaries, with the spans covering it (by lane) and those ending with it.</summary>
public sealed record TextSegment(int Utf16Start, int Utf16End, IReadOnlyList<SpanView> Covering, IReadOnlyList<SpanView> Ending);

/// <summary>
/// Reading and writing a spans field's value, and cutting the text into segments between span boundaries: a long
/// text with a few spans renders as a few elements, not one per character. Overlapping spans get separate lanes,
/// drawn as stacked underlines, so nesting stays visible.
/// </summary>
public static class SpanSegments
{
    public static List<SpanValue> Read(JsonNode? value)
    {
        var spans = new List<SpanValue>();
        if (value is not JsonArray array)
        {
            return spans;
        }

        foreach (var node in array)
        {
            if (node is JsonObject o && JsonInts.TryGet(o["start"], out var start) && JsonInts.TryGet(o["end"], out var end)
                && o["label"] is JsonValue l && l.TryGetValue<string>(out var label) && end > start && start >= 0)
            {
                spans.Add(new SpanValue(start, end, label));
            }
        }

        return spans;
    }

    /// <summary>The field's value: spans in text order (then shortest first), or null when there are none.</summary>
    public static JsonArray? ToJson(IEnumerable<SpanValue> spans)
    {
        var ordered = spans.OrderBy(s => s.Start).ThenBy(s => s.End).ThenBy(s => s.Label, StringComparer.Ordinal).ToList();
        return ordered.Count == 0
            ? null
            : new JsonArray(ordered.Select(s => (JsonNode?)new JsonObject { ["start"] = s.Start, ["end"] = s.End, ["label"] = s.Label }).ToArray());
    }

    /// <summary>
    /// UTF-16 offsets and lanes: <paramref name="utf16Offsets"/> maps code point offsets to UTF-16 indexes
    /// (<see cref="Core.Text.CodePoints.Utf16Offsets"/>); spans past the text's end are clipped to it.
    /// </summary>
    public static IReadOnlyList<SpanView> Views(IReadOnlyList<SpanValue> spans, int[] utf16Offsets)
    {
        var length = utf16Offsets.Length - 1;
        var laneEnds = new List<int>();
        var views = new List<SpanView>(spans.Count);
        foreach (var span in spans.OrderBy(s => s.Start).ThenByDescending(s => s.End))
        {
            var start = Math.Min(span.Start, length);
            var end = Math.Min(span.End, length);
            if (end <= start)
            {
                continue;
            }

            var lane = laneEnds.FindIndex(e => e <= start);
            if (lane < 0)
            {
                lane = laneEnds.Count;
                laneEnds.Add(end);
            }
            else
            {
                laneEnds[lane] = end;
            }

            views.Add(new SpanView(span, utf16Offsets[start], utf16Offsets[end], lane));
        }

        return views;
    }

    public static IReadOnlyList<TextSegment> Build(int textLengthUtf16, IReadOnlyList<SpanView> views)
    {
        if (textLengthUtf16 == 0)
        {
            return [];
        }

        var bounds = new SortedSet<int> { 0, textLengthUtf16 };
        foreach (var v in views)
        {
            bounds.Add(v.Utf16Start);
            bounds.Add(v.Utf16End);
        }

        var points = bounds.ToArray();
        var byStart = views.OrderBy(v => v.Utf16Start).ToList();
        var open = new List<SpanView>();
        var next = 0;
        var segments = new List<TextSegment>(points.Length - 1);
        for (var i = 0; i + 1 < points.Length; i++)
        {
            int a = points[i], b = points[i + 1];
            open.RemoveAll(v => v.Utf16End <= a);
            while (next < byStart.Count && byStart[next].Utf16Start <= a)
            {
                open.Add(byStart[next++]);
            }

            var covering = open.OrderBy(v => v.Lane).ToList();
            segments.Add(new TextSegment(a, b, covering, covering.Where(v => v.Utf16End == b).ToList()));
        }

        return segments;
    }

    /// <summary>The spans under a caret at code point <paramref name="at"/>, innermost first; a click just after a span's last character still finds it.</summary>
    public static IReadOnlyList<SpanValue> At(IReadOnlyList<SpanValue> spans, int at, bool includeEnd) =>
        spans.Where(s => s.Start <= at && (at < s.End || (includeEnd && at == s.End)))
            .OrderBy(s => at < s.End ? 0 : 1).ThenBy(s => s.End - s.Start).ThenBy(s => s.Start).ToList();

    public static string Describe(SpanValue span) =>
        string.Create(CultureInfo.InvariantCulture, $"{span.Label} {span.Start}–{span.End}");
}
