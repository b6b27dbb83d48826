using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>
/// A JSON object as the database stores it: parsed only when something reads it, and copied as is by writers when
/// its text is already the bytes they would write.
/// </summary>
/// <remarks>
/// Exports carry millions of these (item data, annotation results). Most are only copied into the output, and parsing
/// each into nodes to write them out again is most of an export's time. The stored text of an object that is never
/// read stays a string. Nothing may change <see cref="Value"/>: exporters read it, and the export may share one
/// instance between annotations whose stored text is the same.
/// </remarks>
public sealed class StoredJson
{
    private JsonObject? value;
    private sbyte verbatim; // 0: not checked yet, 1: yes, -1: no

    /// <summary>Stored text; a top-level value that is not an object reads as an empty object.</summary>
    public StoredJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    private StoredJson(JsonObject value)
    {
        this.value = value;
        verbatim = -1;
    }

    /// <summary>An object that was built in memory, not read from storage: writers write its nodes.</summary>
    public static StoredJson Of(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new StoredJson(value);
    }

    /// <summary>The stored text, or null for an object built in memory.</summary>
    public string? Text { get; }

    /// <summary>The object, parsed from <see cref="Text"/> on first use.</summary>
    public JsonObject Value => value ??= JsonNode.Parse(Text!) as JsonObject ?? [];

    /// <summary>
    /// True when <see cref="Text"/> is an object written compactly in printable ASCII with no escape sequence: then
    /// a <see cref="Utf8JsonWriter"/> with relaxed escaping writes <see cref="Value"/> as exactly these characters
    /// (property order, number spelling and all), so a writer may copy the text instead.
    /// </summary>
    public bool IsVerbatim
    {
        get
        {
            if (verbatim == 0)
            {
                verbatim = IsCompactAscii(Text!) ? (sbyte)1 : (sbyte)-1;
            }

            return verbatim > 0;
        }
    }

    /// <summary>Writes the object: the stored text when it is verbatim (checked as JSON by the writer), else its nodes.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (IsVerbatim)
        {
            writer.WriteRawValue(Text!, skipInputValidation: false);
        }
        else
        {
            Value.WriteTo(writer);
        }
    }

    /// <summary>
    /// An object, compact (no whitespace outside strings), every character printable ASCII and no backslash. Escapes
    /// are left to the parser and writer: the database stores text escaped by the default encoder (non-ASCII and HTML
    /// characters as <c>\uXXXX</c>), which exports write unescaped.
    /// </summary>
    private static bool IsCompactAscii(string text)
    {
        if (text.Length < 2 || text[0] != '{')
        {
            return false;
        }

        var inString = false;
        foreach (var c in text)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                // Control characters, non-ASCII, and a space outside a string are never verbatim.
                if (c != ' ' || !inString)
                {
                    return false;
                }
            }
            else if (c == '\\')
            {
                return false;
            }
            else if (c == '"')
            {
                inString = !inString;
            }
        }

        return !inString;
    }
}
