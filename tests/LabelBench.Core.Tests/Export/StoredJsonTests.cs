using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Export;

namespace LabelBench.Core.Tests.Export;

public class StoredJsonTests
{
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Relaxed))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>What the exporters wrote before stored text was copied: the parsed object's nodes.</summary>
    private static string ThroughNodes(string text) => Write(w => (JsonNode.Parse(text) as JsonObject ?? []).WriteTo(w));

    public static TheoryData<string> CompactAscii => new()
    {
        """{"text":"Review number 7: the kettle arrived on time and works, mostly."}""",
        """{"sentiment":"positive"}""",
        // Every printable ASCII character but the backslash and the quote, which the database stores escaped.
        "{\"all\":\"" + new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not '"' and not '\\').ToArray()) + "\"}",
        """{"html":"<b>a & b</b> 'quoted' + `ticks`","n":1.50,"e":1E+3,"t":true,"f":false,"z":null,"list":[1,"two",{"x":[]}],"o":{}}""",
        """{"spans":[{"start":0,"end":5,"label":"PER"}],"stars":5}""",
        "{}",
    };

    [Theory]
    [MemberData(nameof(CompactAscii))]
    public void Compact_ascii_text_is_copied_and_is_what_writing_the_parsed_object_gives(string text)
    {
        var stored = new StoredJson(text);

        Assert.True(stored.IsVerbatim);
        Assert.Equal(ThroughNodes(text), Write(stored.WriteTo));
        Assert.Equal(text, Write(stored.WriteTo));
    }

    public static TheoryData<string> NotVerbatim => new()
    {
        // How the database stores non-ASCII and HTML characters (the default encoder): exports write them as UTF-8.
        """{"text":"caf\u00E9 \u003Cb\u003E \u0027x\u0027"}""",
        """{"quote":"say \"hi\"","path":"C:\\temp"}""",
        """{ "spaced": 1 }""",
        "{\"text\":\"line\\nbreak\"}",
        "{\"text\":\"crème brûlée, 東京\"}",
        """{"a":1}  """,
    };

    [Theory]
    [MemberData(nameof(NotVerbatim))]
    public void Other_text_is_written_through_its_nodes(string text)
    {
        var stored = new StoredJson(text);

        Assert.False(stored.IsVerbatim);
        Assert.Equal(ThroughNodes(text), Write(stored.WriteTo));
    }

    [Fact]
    public void Escaped_text_is_written_unescaped_as_utf8()
    {
        var stored = new StoredJson("""{"text":"caf\u00E9 \u003Cb\u003E"}""");

        Assert.Equal("""{"text":"café <b>"}""", Write(stored.WriteTo));
    }

    [Fact]
    public void A_stored_value_that_is_not_an_object_reads_as_an_empty_object()
    {
        var stored = new StoredJson("null");

        Assert.False(stored.IsVerbatim);
        Assert.Empty(stored.Value);
        Assert.Equal("{}", Write(stored.WriteTo));
    }

    [Fact]
    public void Broken_stored_text_fails_when_written_as_it_does_when_parsed()
    {
        var stored = new StoredJson("""{"a":}""");

        Assert.True(stored.IsVerbatim);
        var writing = Record.Exception(() => Write(stored.WriteTo));
        Assert.True(writing is JsonException or ArgumentException, writing?.ToString());
        Assert.ThrowsAny<JsonException>(() => stored.Value);
    }

    [Fact]
    public void An_object_built_in_memory_is_written_through_its_nodes()
    {
        var stored = StoredJson.Of(new JsonObject { ["sentiment"] = "positive" });

        Assert.Null(stored.Text);
        Assert.False(stored.IsVerbatim);
        Assert.Equal("""{"sentiment":"positive"}""", Write(stored.WriteTo));
    }

    [Fact]
    public void The_text_is_parsed_once_and_only_when_read()
    {
        var stored = new StoredJson("""{"sentiment":"positive"}""");

        var first = stored.Value;

        Assert.Same(first, stored.Value);
        Assert.Equal("positive", first["sentiment"]!.GetValue<string>());
    }
}

public class ExportTimeTests
{
    [Fact]
    public void Times_are_written_as_utc_with_milliseconds_like_the_invariant_format_string()
    {
        var random = new Random(7);
        var times = new List<DateTimeOffset>
        {
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
            new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero),
            new(2026, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(5.5)),
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(9_999),
        };
        times.AddRange(Enumerable.Range(0, 1000).Select(_ => new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.FromMinutes(random.Next(-600, 600)))));

        foreach (var time in times)
        {
            var expected = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, JsonlExporter.FormatTime(time));
        }
    }
}
