using System.Text;
using LabelBench.Core.Import;
using static LabelBench.Core.Tests.Import.ImportTestStreams;

namespace LabelBench.Core.Tests.Import;

public class JsonlItemReaderTests
{
    private readonly JsonlItemReader reader = new();

    private static ImportRejection SingleRejection(List<ImportRow> rows, int line, string messagePart)
    {
        var rejection = Assert.Single(rows, r => r.Rejection is not null).Rejection!;
        Assert.Equal(line, rejection.Line);
        Assert.Contains(messagePart, rejection.Error, StringComparison.Ordinal);
        return rejection;
    }

    [Fact]
    public async Task Reads_id_data_split_and_predictions()
    {
        var rows = await ReadAllAsync(reader, """
            {"id": "a1", "data": {"text": "hello", "lang": "en"}, "split": "train", "predictions": [{"model": "bert-v2", "result": {"sentiment": "pos"}, "score": 0.9, "scores": {"pos": 0.9, "neg": 0.1}}]}
            """);

        var record = Assert.Single(rows).Record!;
        Assert.Equal(1, record.Line);
        Assert.Equal("a1", record.ExternalId);
        Assert.Equal("""{"text":"hello","lang":"en"}""", record.Data.ToJsonString());
        Assert.Null(record.Data.Parent);
        Assert.Equal("train", record.Split);
        var prediction = Assert.Single(record.Predictions);
        Assert.Equal("bert-v2", prediction.Model);
        Assert.Equal("""{"sentiment":"pos"}""", prediction.Result.ToJsonString());
        Assert.Null(prediction.Result.Parent);
        Assert.Equal(0.9, prediction.Score);
        Assert.Equal(0.1, prediction.Scores!["neg"]);
    }

    [Fact]
    public async Task Object_without_data_is_the_data_and_its_id_is_the_external_id()
    {
        var rows = await ReadAllAsync(reader, """
            {"id": 17, "text": "hi", "split": "test", "predictions": [{"model": "m", "result": {}}]}
            """);

        var record = Assert.Single(rows).Record!;
        Assert.Equal("17", record.ExternalId);
        Assert.Equal("test", record.Split);
        Assert.Equal("""{"id":17,"text":"hi","split":"test"}""", record.Data.ToJsonString());
        Assert.Single(record.Predictions);
    }

    [Fact]
    public async Task Items_without_id_or_split_have_none()
    {
        var record = Assert.Single(await ReadAllAsync(reader, """{"data": {"text": "x"}}""")).Record!;

        Assert.Null(record.ExternalId);
        Assert.Null(record.Split);
        Assert.Empty(record.Predictions);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_but_counted()
    {
        var rows = await ReadAllAsync(reader, "{\"a\": 1}\n\n   \r\n{\"a\": 2}\r\n{\"a\": 3}");

        Assert.Equal([1, 4, 5], rows.Select(r => r.Record!.Line));
    }

    [Fact]
    public async Task Malformed_line_is_refused_with_its_line_and_the_json_error_and_reading_goes_on()
    {
        var rows = await ReadAllAsync(reader, "{\"a\": 1}\n{\"a\": 2,}\n{\"a\": 3}\n");

        var rejection = SingleRejection(rows, 2, "not valid JSON");
        Assert.Contains("at byte", rejection.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", rejection.Error, StringComparison.Ordinal);
        Assert.Equal([1, 3], rows.Where(r => r.Record is not null).Select(r => r.Record!.Line));
    }

    [Fact]
    public async Task Truncated_line_is_refused()
    {
        SingleRejection(await ReadAllAsync(reader, "{\"data\": {\"text\": \"unterminated"), 1, "not valid JSON");
    }

    [Fact]
    public async Task Duplicate_json_keys_are_refused()
    {
        SingleRejection(await ReadAllAsync(reader, """{"a": 1, "a": 2}"""), 1, "Duplicate property 'a'");
    }

    [Theory]
    [InlineData("[1, 2]", "one JSON object")]
    [InlineData("\"text\"", "one JSON object")]
    [InlineData("""{"data": "text"}""", "\"data\" must be a JSON object")]
    [InlineData("""{"data": null}""", "\"data\" must be a JSON object")]
    [InlineData("""{"data": {}, "meta": 1}""", "unknown property \"meta\"")]
    [InlineData("""{"data": {}, "split": "dev"}""", "train, validation or test, not \"dev\"")]
    [InlineData("""{"data": {}, "split": 3}""", "train, validation or test")]
    [InlineData("""{"text": "x", "split": "Train"}""", "not \"Train\"")]
    [InlineData("""{"id": "", "data": {}}""", "\"id\" must be a non-empty string or a whole number")]
    [InlineData("""{"id": 1.5, "data": {}}""", "\"id\" must be")]
    [InlineData("""{"id": {"x": 1}, "data": {}}""", "\"id\" must be")]
    public async Task Bad_record_shape_is_refused(string line, string message)
    {
        SingleRejection(await ReadAllAsync(reader, line), 1, message);
    }

    [Theory]
    [InlineData("""{"model": "m", "result": {}}""")]
    [InlineData("""{"model": "m", "result": {"x": 1}, "score": 0}""")]
    [InlineData("""{"model": "m", "result": {"x": 1}, "score": 1, "scores": {}}""")]
    [InlineData("""{"model": "m", "result": {"x": 1}, "score": null}""")]
    public async Task Well_formed_predictions_are_read(string prediction)
    {
        var record = Assert.Single(await ReadAllAsync(reader, $$"""{"data": {}, "predictions": [{{prediction}}]}""")).Record!;

        Assert.Equal("m", Assert.Single(record.Predictions).Model);
    }

    [Theory]
    [InlineData("""{"model": "m", "result": {}}""", "\"predictions\" must be a list")]
    [InlineData("""[3]""", "predictions[0] must be an object")]
    [InlineData("""[{"result": {}}]""", "predictions[0].model is required")]
    [InlineData("""[{"model": "", "result": {}}]""", "predictions[0].model is required")]
    [InlineData("""[{"model": 5, "result": {}}]""", "predictions[0].model is required")]
    [InlineData("""[{"model": "m"}]""", "predictions[0].result is required")]
    [InlineData("""[{"model": "m", "result": "pos"}]""", "predictions[0].result is required")]
    [InlineData("""[{"model": "m", "result": {}, "score": 1.5}]""", "predictions[0].score must be a number from 0 to 1")]
    [InlineData("""[{"model": "m", "result": {}, "score": "0.5"}]""", "predictions[0].score must be a number from 0 to 1")]
    [InlineData("""[{"model": "m", "result": {}, "scores": [0.5]}]""", "predictions[0].scores must be an object")]
    [InlineData("""[{"model": "m", "result": {}, "scores": {"pos": -0.1}}]""", "predictions[0].scores[\"pos\"] must be a number from 0 to 1")]
    [InlineData("""[{"model": "m", "result": {}}, {"model": "m", "result": {}, "confidence": 1}]""", "predictions[1] has the unknown property \"confidence\"")]
    public async Task Malformed_predictions_refuse_the_row(string predictions, string message)
    {
        SingleRejection(await ReadAllAsync(reader, $$"""{"data": {}, "predictions": {{predictions}}}"""), 1, message);
    }

    [Fact]
    public async Task Number_and_string_ids_read_as_the_same_external_id()
    {
        // The import refuses the second of two equal ids (against the database); 5 and "5" must be equal there.
        var rows = await ReadAllAsync(reader, "{\"id\": 5, \"data\": {}}\n{\"id\": \"5\", \"data\": {}}");

        Assert.Equal(["5", "5"], rows.Select(r => r.Record!.ExternalId));
    }

    [Fact]
    public async Task Bom_is_skipped()
    {
        var record = Assert.Single(await ReadAllAsync(reader, Utf8WithBom("""{"id": "x", "text": "é"}"""))).Record!;

        Assert.Equal("x", record.ExternalId);
        Assert.Equal("é", record.Data["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_utf8_refuses_the_whole_file_and_yields_nothing_else_when_seekable()
    {
        byte[] bytes = [.. Utf8("{\"a\": 1}\n{\"a\": \"caf"), 0xE9, .. Utf8("\"}\n{\"a\": 3}\n")];

        var rows = await ReadAllAsync(reader, bytes, seekable: true, source: "latin1.jsonl");

        var row = Assert.Single(rows);
        Assert.True(row.IsWholeFileRejection);
        Assert.Equal("latin1.jsonl", row.Rejection!.Source);
        Assert.Contains("not valid UTF-8", row.Rejection.Error, StringComparison.Ordinal);
        Assert.Contains("line 2", row.Rejection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_forward_only_stream_ends_with_a_whole_file_rejection()
    {
        // Larger than the reader's buffer, so records are yielded before the bad bytes are decoded.
        var good = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            good.Append("{\"id\": \"").Append(i).Append("\", \"text\": \"some text to fill the buffer\"}\n");
        }

        byte[] bytes = [.. Utf8(good.ToString()), 0xC3, 0x28, (byte)'\n'];

        var rows = await ReadAllAsync(reader, bytes, seekable: false);

        Assert.True(rows.Count > 1);
        Assert.True(rows[^1].IsWholeFileRejection);
        Assert.Contains("not valid UTF-8", rows[^1].Rejection!.Error, StringComparison.Ordinal);
        Assert.Single(rows, r => r.Rejection is not null);
    }

    [Fact]
    public async Task Truncated_multibyte_character_at_the_end_is_invalid()
    {
        byte[] bytes = [.. Utf8("{\"a\": \"x\"}\n"), 0xE2, 0x82];

        var row = Assert.Single(await ReadAllAsync(reader, bytes));

        Assert.True(row.IsWholeFileRejection);
    }

    [Fact]
    public async Task Multibyte_characters_across_chunk_boundaries_are_valid()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 30000; i++)
        {
            text.Append("{\"t\": \"€😀\"}\n");
        }

        var rows = await ReadAllAsync(reader, Utf8(text.ToString()));

        Assert.Equal(30000, rows.Count(r => r.Record is not null));
    }

    [Fact]
    public async Task Utf16_file_is_refused_as_such()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{\"a\": 1}")).ToArray();

        var row = Assert.Single(await ReadAllAsync(reader, bytes));

        Assert.True(row.IsWholeFileRejection);
        Assert.Contains("UTF-16", row.Rejection!.Error, StringComparison.Ordinal);
    }
}
