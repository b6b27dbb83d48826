using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using LabelBench.Core.Export;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class CsvAnnotationRowsTests
{
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

    private static List<ExportItem> Hostile() =>
    [
        Item(1, """{"text": "=cmd|' /C calc'!A0"}""", null, null,
            Annotation(1, "@evil", """{"note": "+1+1", "sentiment": "positive"}"""),
            Annotation(2, "-annotator", """{"note": "\tTAB", "topics": ["price"]}""")),
        Item(2, """{"text": "\r=2+3"}""", null),
    ];

    [Fact]
    public async Task One_row_per_annotation_with_annotator_columns_and_an_empty_row_for_unlabelled_items()
    {
        var rows = Parse(await ExportAsync("csv", Hostile(), new ExportOptions { Source = ExportSource.All, Schema = Classification, OneRowPerAnnotation = true }));

        Assert.Equal(["id", "externalId", "split", "text", "annotator", "annotationId", "submittedAt", "timeSpentMs", "sentiment", "topics", "stars", "note", "entities"], rows[0]);
        Assert.Equal(4, rows.Count);
        Assert.Equal(["1", "1", "2"], rows.Skip(1).Select(r => r[0]));
        Assert.Equal("positive", rows[1][8]);
        Assert.Equal(string.Empty, rows[3][4]);
    }

    [Fact]
    public async Task Hostile_cells_never_start_with_a_formula_character()
    {
        var rows = Parse(await ExportAsync("csv", Hostile(), new ExportOptions { Source = ExportSource.All, Schema = Classification, OneRowPerAnnotation = true }));

        Assert.All(rows.SelectMany(r => r), cell => Assert.DoesNotMatch("^[=+\\-@\t\r]", cell));
        Assert.Equal(4, rows.Count);
        Assert.Equal("'\r=2+3", rows[3][3]);
        Assert.Equal("'@evil", rows[1][4]);
        Assert.Equal("'+1+1", rows[1][11]);
        Assert.Equal("'\tTAB", rows[2][11]);
        Assert.Equal("'=cmd|' /C calc'!A0", rows[1][3]);
    }
}
