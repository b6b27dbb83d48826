using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using LabelBench.Core.Export;
using LabelBench.Core.Schemas;
using LabelBench.Core.Tests.Schemas;

namespace LabelBench.Core.Tests.Export;

public class CsvExporterTests
{
    private static readonly LabelSchema Schema = SchemaSamples.AllKinds();

    private static async Task<byte[]> ExportAsync(ExportSource source = ExportSource.All, IReadOnlyList<string>? dataKeys = null, LabelSchema? schema = null)
    {
        using var stream = new MemoryStream();
        await CsvExporter.WriteAsync(ExportSamples.Stream(ExportSamples.Items()), stream, new ExportOptions { Source = source, Schema = schema ?? Schema, DataKeys = dataKeys });
        return stream.ToArray();
    }

    private static List<string[]> Parse(byte[] bytes)
    {
        using var csv = new CsvParser(new StringReader(Encoding.UTF8.GetString(bytes)), new CsvConfiguration(CultureInfo.InvariantCulture));
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Record!);
        }

        return rows;
    }

    [Fact]
    public async Task Same_input_gives_the_same_bytes()
    {
        Assert.Equal(await ExportAsync(), await ExportAsync());
    }

    [Fact]
    public async Task Header_has_ids_data_columns_one_column_per_field_and_the_final_source()
    {
        var header = Parse(await ExportAsync())[0];

        Assert.Equal(
            ["id", "externalId", "split", "text", "image", "audio", "prompt", "answer_a", "answer_b", "r0", "r1", "r2",
             "sentiment", "topics", "quality", "summary", "entities", "objects", "areas", "landmarks", "speech", "preference", "order", "finalSource"],
            header);
    }

    [Fact]
    public async Task Final_values_are_flattened_lists_joined_and_structures_as_json()
    {
        var rows = Parse(await ExportAsync(dataKeys: ["text"]));
        var header = rows[0].ToList();
        var first = rows[1];

        Assert.Equal("1", first[0]);
        Assert.Equal("a1", first[1]);
        Assert.Equal("train", first[2]);
        Assert.Equal("Café “quoted”, with comma", first[header.IndexOf("text")]);
        Assert.Equal("pos", first[header.IndexOf("sentiment")]);
        Assert.Equal("tech|sport", first[header.IndexOf("topics")]);
        Assert.Equal("4", first[header.IndexOf("quality")]);
        Assert.Equal("2|0|1", first[header.IndexOf("order")]);
        Assert.Equal("""{"choice":"A","strength":2}""", first[header.IndexOf("preference")]);
        Assert.Equal(string.Empty, first[header.IndexOf("summary")]);
        Assert.Equal("agreement", first[^1]);
        Assert.Equal("""[{"start":0,"end":1,"label":"PER"}]""", rows[3][header.IndexOf("entities")]);
    }

    [Fact]
    public async Task Formula_cells_are_neutralised_with_a_leading_quote()
    {
        var rows = Parse(await ExportAsync(dataKeys: ["text", "image"]));

        Assert.Equal("'=HYPERLINK(\"http://evil\")", rows[2][3]);
        Assert.Equal("'@SUM(A1)", rows[2][4]);
        Assert.Equal("'-3", rows[3][1]);
        Assert.Equal("'+cmd|' /C calc'!A0", rows[3][3]);
        Assert.Equal("'\tx", rows[3][4]);
        var header = rows[0].ToList();
        Assert.Equal("'-2 is fine", rows[3][header.IndexOf("summary")]);
        Assert.All(rows.SelectMany(r => r), cell => Assert.DoesNotMatch("^[=+\\-@\t\r]", cell));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@x", "'@x")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    [InlineData(" =x", " =x")]
    public void Neutralise_prefixes_only_dangerous_first_characters(string value, string expected)
    {
        Assert.Equal(expected, SpreadsheetCell.Neutralise(value));
    }

    [Fact]
    public async Task Header_cells_are_neutralised_too()
    {
        var header = Parse(await ExportAsync(dataKeys: ["=cmd"]))[0];

        Assert.Equal("'=cmd", header[3]);
    }

    [Fact]
    public async Task Final_source_exports_only_items_with_a_final_result()
    {
        var rows = Parse(await ExportAsync(ExportSource.Final));

        Assert.Equal(["1", "3"], rows.Skip(1).Select(r => r[0]));
    }

    [Fact]
    public async Task Field_named_like_a_data_column_gets_a_prefix()
    {
        var schema = SchemaSamples.ParseField("""{"name": "text", "kind": "text", "source": "text"}""").Value!;

        var header = Parse(await ExportAsync(schema: schema))[0];

        Assert.Equal(["id", "externalId", "split", "text", "final.text", "finalSource"], header);
    }

    [Fact]
    public async Task Output_is_utf8_without_bom_with_crlf_rows()
    {
        var bytes = await ExportAsync();

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Contains("\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
