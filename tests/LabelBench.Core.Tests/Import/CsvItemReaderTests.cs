using System.Text;
using LabelBench.Core.Import;
using static LabelBench.Core.Tests.Import.ImportTestStreams;

namespace LabelBench.Core.Tests.Import;

public class CsvItemReaderTests
{
    private readonly CsvItemReader reader = new();

    private static List<ImportRecord> Records(List<ImportRow> rows) => rows.Where(r => r.Record is not null).Select(r => r.Record!).ToList();

    [Fact]
    public async Task Header_names_the_data_keys_and_id_is_the_external_id()
    {
        var rows = await ReadAllAsync(reader, "id,text,split\na1,hello,train\na2,world,\n");

        var records = Records(rows);
        Assert.Equal(2, records.Count);
        Assert.Equal(2, records[0].Line);
        Assert.Equal("a1", records[0].ExternalId);
        Assert.Equal("train", records[0].Split);
        Assert.Equal("""{"id":"a1","text":"hello","split":"train"}""", records[0].Data.ToJsonString());
        Assert.Null(records[1].Split);
        Assert.Empty(records[1].Predictions);
    }

    [Fact]
    public async Task File_without_id_column_has_no_external_ids()
    {
        var record = Assert.Single(await ReadAllAsync(reader, "text\nhello")).Record!;

        Assert.Null(record.ExternalId);
        Assert.Equal("hello", record.Data["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bom_is_not_part_of_the_first_column_name()
    {
        var record = Assert.Single(await ReadAllAsync(reader, Utf8WithBom("id,text\n1,Zürich\n"))).Record!;

        Assert.Equal("1", record.ExternalId);
        Assert.Equal(["id", "text"], record.Data.Select(p => p.Key));
        Assert.Equal("Zürich", record.Data["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    [InlineData(',')]
    public async Task Delimiter_is_detected_from_the_header(char delimiter)
    {
        var d = delimiter.ToString();
        var rows = await ReadAllAsync(reader, $"id{d}text{d}score\n1{d}\"a, b; c | d\te\"{d}\"0,5\"\n");

        var record = Assert.Single(rows).Record
            ?? throw new Xunit.Sdk.XunitException(rows[0].Rejection!.Error);
        Assert.Equal("1", record.ExternalId);
        Assert.Equal(3, record.Data.Count);
        Assert.Equal("a, b; c | d\te", record.Data["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Semicolon_file_with_decimal_commas_is_read_as_semicolon_separated()
    {
        var record = Assert.Single(await ReadAllAsync(reader, "id;text;score\n1;\"say \"\"hi\"\"\";0,75\n")).Record!;

        Assert.Equal("say \"hi\"", record.Data["text"]!.GetValue<string>());
        Assert.Equal("0,75", record.Data["score"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a,b;c", ',')]
    [InlineData("a;b;c,d", ';')]
    [InlineData("\"a;b;c\",d", ',')]
    [InlineData("single", ',')]
    [InlineData("a\tb|c\td", '\t')]
    public void Delimiter_is_the_most_frequent_one_outside_quotes(string header, char expected)
    {
        Assert.Equal(expected, CsvItemReader.DetectDelimiter(header));
    }

    [Fact]
    public async Task Quoted_newlines_keep_line_numbers_right()
    {
        var csv = "id,text\n1,\"first line\nsecond line\nthird line\"\n2,plain\n\n3,\"a\r\nb\"\r\n4,\"x\",extra\n";

        var rows = await ReadAllAsync(reader, csv);

        var records = Records(rows);
        Assert.Equal([("1", 2), ("2", 5), ("3", 7)], records.Select(r => (r.ExternalId!, r.Line)));
        Assert.Equal("first line\nsecond line\nthird line", records[0].Data["text"]!.GetValue<string>());
        Assert.Equal("a\r\nb", records[2].Data["text"]!.GetValue<string>());
        var rejection = Assert.Single(rows, r => r.Rejection is not null).Rejection!;
        Assert.Equal(9, rejection.Line);
    }

    [Fact]
    public async Task Row_with_the_wrong_number_of_fields_is_refused_with_its_line()
    {
        var rows = await ReadAllAsync(reader, "id,text,lang\n1,a,en\n2,b\n3,c,en,extra\n4,d,de\n");

        var rejections = rows.Where(r => r.Rejection is not null).Select(r => r.Rejection!).ToList();
        Assert.Equal([3, 4], rejections.Select(r => r.Line));
        Assert.Equal("has 2 fields but the header has 3", rejections[0].Error);
        Assert.Equal("has 4 fields but the header has 3", rejections[1].Error);
        Assert.Equal(["1", "4"], Records(rows).Select(r => r.ExternalId!));
    }

    [Fact]
    public async Task Row_with_one_field_says_field()
    {
        var rows = await ReadAllAsync(reader, "id,text\nlonely\n");

        Assert.Equal("has 1 field but the header has 2", Assert.Single(rows).Rejection!.Error);
    }

    [Fact]
    public async Task Stray_quote_refuses_the_row()
    {
        var rows = await ReadAllAsync(reader, "id,text\n1,5\" tall\n2,ok\n");

        var rejection = Assert.Single(rows, r => r.Rejection is not null).Rejection!;
        Assert.Equal(2, rejection.Line);
        Assert.Contains("quote inside an unquoted field", rejection.Error, StringComparison.Ordinal);
        Assert.Equal("2", Assert.Single(Records(rows)).ExternalId);
    }

    [Fact]
    public async Task Invalid_split_refuses_the_row()
    {
        var rows = await ReadAllAsync(reader, "id,split\n1,training\n");

        Assert.Equal(new ImportRejection("file", 2, "\"split\" must be train, validation or test, not \"training\""), Assert.Single(rows).Rejection);
    }

    [Theory]
    [InlineData("id,text,text\n1,a,b\n", "names column \"text\" twice (columns 2 and 3)")]
    [InlineData("id,,text\n1,a,b\n", "no name for column 2")]
    [InlineData("", "the file is empty")]
    [InlineData("\n1,2\n", "the file is empty")]
    public async Task Bad_header_refuses_the_whole_file(string csv, string message)
    {
        var row = Assert.Single(await ReadAllAsync(reader, csv));

        Assert.True(row.IsWholeFileRejection);
        Assert.Contains(message, row.Rejection!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_names_are_trimmed()
    {
        var record = Assert.Single(await ReadAllAsync(reader, "id, text \n1, spaced \n")).Record!;

        Assert.Equal(" spaced ", record.Data["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Header_with_a_quoted_newline_counts_its_lines()
    {
        var record = Assert.Single(await ReadAllAsync(reader, "id,\"long\nname\"\n1,x\n")).Record!;

        Assert.Equal(3, record.Line);
        Assert.Equal("x", record.Data["long\nname"]!.GetValue<string>());
    }

    [Fact]
    public async Task Header_only_file_has_no_rows()
    {
        Assert.Empty(await ReadAllAsync(reader, "id,text\n"));
    }

    [Fact]
    public async Task Invalid_utf8_refuses_the_whole_file_and_yields_nothing_else_when_seekable()
    {
        byte[] bytes = [.. Utf8("id,text\n1,ok\n2,caf"), 0xE9, .. Utf8("\n3,ok\n")];

        var row = Assert.Single(await ReadAllAsync(reader, bytes, source: "latin1.csv"));

        Assert.True(row.IsWholeFileRejection);
        Assert.Equal("latin1.csv", row.Rejection!.Source);
        Assert.Contains("not valid UTF-8 (invalid bytes on line 3", row.Rejection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_forward_only_stream_ends_with_a_whole_file_rejection()
    {
        var good = new StringBuilder("id,text\n");
        for (var i = 0; i < 5000; i++)
        {
            good.Append(i).Append(",some text to fill the reader's buffer\n");
        }

        byte[] bytes = [.. Utf8(good.ToString()), .. Utf8("9999,caf"), 0xE9, (byte)'\n'];

        var rows = await ReadAllAsync(reader, bytes, seekable: false);

        Assert.True(Records(rows).Count > 0);
        Assert.True(rows[^1].IsWholeFileRejection);
        Assert.Contains("not valid UTF-8", rows[^1].Rejection!.Error, StringComparison.Ordinal);
        Assert.Single(rows, r => r.Rejection is not null);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_header_of_a_forward_only_stream_refuses_the_file()
    {
        byte[] bytes = [.. Utf8("id,caf"), 0xE9, .. Utf8("\n1,2\n")];

        var row = Assert.Single(await ReadAllAsync(reader, bytes, seekable: false));

        Assert.True(row.IsWholeFileRejection);
    }

    [Fact]
    public async Task Forward_only_valid_file_is_read_without_synchronous_reads()
    {
        var rows = await ReadAllAsync(reader, Utf8("id,text\n1,a\n2,b"), seekable: false);

        Assert.Equal(["1", "2"], Records(rows).Select(r => r.ExternalId!));
    }
}
