using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Core.Json;

/// <summary>Reads numbers from JSON nodes whether they were parsed from text or built in code.</summary>
/// <remarks>
/// A <see cref="JsonValue"/> built in code (<c>JsonValue.Create(5L)</c>, <c>["x"] = 10</c>) only converts
/// to the exact CLR type it holds, so <c>TryGetValue&lt;double&gt;</c> fails on an <c>int</c>;
/// results and data come both ways, so every numeric read goes through here.
/// </remarks>
internal static class JsonNumber
{
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out JsonElement element))
        {
            return element.TryGetDouble(out value) && double.IsFinite(value);
        }

        var ok = v.TryGetValue(out value);
        if (!ok)
        {
            if (v.TryGetValue(out int i)) { value = i; ok = true; }
            else if (v.TryGetValue(out long l)) { value = l; ok = true; }
            else if (v.TryGetValue(out decimal m)) { value = (double)m; ok = true; }
            else if (v.TryGetValue(out float f)) { value = f; ok = true; }
            else if (v.TryGetValue(out short s)) { value = s; ok = true; }
            else if (v.TryGetValue(out byte b)) { value = b; ok = true; }
            else if (v.TryGetValue(out uint ui)) { value = ui; ok = true; }
            else if (v.TryGetValue(out ulong ul)) { value = ul; ok = true; }
        }

        return ok && double.IsFinite(value);
    }

    /// <summary>A whole number in the range of <see cref="int"/>; <c>3.0</c> counts, <c>3.5</c> does not.</summary>
    public static bool TryGetInt(JsonNode? node, out int value)
    {
        value = 0;
        if (!TryGetDouble(node, out var d) || d != Math.Floor(d) || d is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        value = (int)d;
        return true;
    }

    public static bool TryGetString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out string? s))
        {
            value = s;
            return true;
        }

        value = string.Empty;
        return false;
    }
}
