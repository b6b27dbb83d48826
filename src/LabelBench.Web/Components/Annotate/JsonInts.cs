using System.Text.Json.Nodes;

namespace LabelBench.Web.Components.Annotate;

/// <summary>Reading whole numbers from an annotation result's JSON (offsets, ranks, strengths).</summary>
internal static class JsonInts
{
    public static bool TryGet(JsonNode? node, out int value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue(out value))
        {
            return true;
        }

        if (v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)l;
            return true;
        }

        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        return false;
    }
}
