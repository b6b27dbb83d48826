using System.Text;
using LabelBench.Core.ActiveLearning;

namespace LabelBench.Core.Tests.ActiveLearning;

public class PredictionLineReaderTests
{
    [Fact]
    public async Task Reads_lines_by_item_id_and_by_external_id()
    {
        var rows = await ReadAsync(
            """
            {"itemId": 7, "model": "m-v1", "result": {"sentiment": "positive"}, "score": 0.9}

            {"externalId": "review-002", "model": "m-v1", "result": {"sentiment": "negative"}, "scores": {"negative": 0.7, "positive": 0.3}}
            {"externalId": 42, "itemId": 3, "model": "m-v2", "result": {}}
            """);

        Assert.All(rows, r => Assert.Null(r.Rejection));
        var lines = rows.Select(r => r.Line!).ToList();
        Assert.Equal([1, 3, 4], lines.Select(l => l.Line));
        Assert.Equal(7, lines[0].ItemId);
        Assert.Equal(0.9, lines[0].Prediction.Score);
        Assert.Equal("review-002", lines[1].ExternalId);
        Assert.Equal(0.7, lines[1].Prediction.Scores!["negative"]);
        Assert.Equal((3L, "42"), (lines[2].ItemId!.Value, lines[2].ExternalId!));
    }

    [Theory]
    [InlineData("""{"model": "m", "result": {}}""", "itemId or externalId is required")]
    [InlineData("""{"itemId": 0, "model": "m", "result": {}}""", "itemId must be")]
    [InlineData("""{"itemId": 1.5, "model": "m", "result": {}}""", "itemId must be")]
    [InlineData("""{"externalId": "", "model": "m", "result": {}}""", "externalId must be")]
    [InlineData("""{"itemId": 1, "result": {}}""", "model is required")]
    [InlineData("""{"itemId": 1, "model": "m", "result": "positive"}""", "result is required")]
    [InlineData("""{"itemId": 1, "model": "m", "result": {}, "score": 1.5}""", "score must be a number from 0 to 1")]
    [InlineData("""{"itemId": 1, "model": "m", "result": {}, "scores": {"a": "high"}}""", "scores[\"a\"] must be a number from 0 to 1")]
    [InlineData("""{"itemId": 1, "model": "m", "result": {}, "confidence": 0.5}""", "unknown property \"confidence\"")]
    [InlineData("""{"itemId": 1, "model": "m", "model": "n", "result": {}}""", "not valid JSON")]
    [InlineData("""[1, 2]""", "each line must be one JSON object")]
    public async Task Refuses_a_bad_line_naming_the_line_and_the_field(string line, string expected)
    {
        var rows = await ReadAsync("{\"itemId\": 1, \"model\": \"m\", \"result\": {}}\n" + line);
        Assert.Null(rows[0].Rejection);
        var rejection = Assert.IsType<LabelBench.Core.Import.ImportRejection>(rows[1].Rejection);
        Assert.Equal(2, rejection.Line);
        Assert.Equal("predictions.jsonl", rejection.Source);
        Assert.Contains(expected, rejection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_whole()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"itemId\": 1, \"model\": \"m\", \"result\": {}}\n{\"itemId\": 2, \"model\": \"m\xE9\"}").ToList();
        bytes[^3] = 0xE9;
        var rows = await ReadAsync(bytes.ToArray());
        var only = Assert.Single(rows);
        Assert.True(only.IsWholeFileRejection);
        Assert.Contains("not valid UTF-8", only.Rejection!.Error, StringComparison.Ordinal);
    }

    private static Task<List<PredictionRow>> ReadAsync(string text) => ReadAsync(Encoding.UTF8.GetBytes(text));

    private static async Task<List<PredictionRow>> ReadAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var rows = new List<PredictionRow>();
        await foreach (var row in new PredictionLineReader().ReadAsync(stream, "predictions.jsonl"))
        {
            rows.Add(row);
        }

        return rows;
    }
}
