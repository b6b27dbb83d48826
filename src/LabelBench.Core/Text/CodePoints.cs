using System.Text;

namespace LabelBench.Core.Text;

/// <summary>
/// Span offsets count Unicode code points (as Python's str does), so exported offsets index the text
/// directly in training code; browsers count UTF-16 units, and these helpers convert between the two.
/// </summary>
public static class CodePoints
{
    public static int Length(string text)
    {
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsHighSurrogate(text[i]) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
            {
                n++;
            }
            else
            {
                n++;
                i++;
            }
        }

        return n;
    }

    /// <summary>The UTF-16 index of the code point at <paramref name="codePointIndex"/> (or the string length at the end).</summary>
    public static int ToUtf16Index(string text, int codePointIndex)
    {
        var cp = 0;
        var i = 0;
        while (i < text.Length && cp < codePointIndex)
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            cp++;
        }

        return i;
    }

    public static int FromUtf16Index(string text, int utf16Index)
    {
        var cp = 0;
        var i = 0;
        var end = Math.Min(utf16Index, text.Length);
        while (i < end)
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            cp++;
        }

        return cp;
    }

    /// <summary>
    /// The UTF-16 index of every code point offset 0..<see cref="Length"/> in one pass (entry i is where code point i
    /// starts; the last entry is the string length), for converting many offsets over a long text.
    /// </summary>
    public static int[] Utf16Offsets(string text)
    {
        var offsets = new List<int>(text.Length + 1);
        var i = 0;
        while (i < text.Length)
        {
            offsets.Add(i);
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        }

        offsets.Add(text.Length);
        return [.. offsets];
    }

    /// <summary>The substring between two code point offsets.</summary>
    public static string Slice(string text, int start, int end)
    {
        var a = ToUtf16Index(text, start);
        var b = ToUtf16Index(text, end);
        return text[a..b];
    }

    public static IEnumerable<Rune> Runes(string text) => text.EnumerateRunes();
}
