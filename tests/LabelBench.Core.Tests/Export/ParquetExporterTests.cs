using LabelBench.Core.Export;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using static LabelBench.Core.Tests.Export.ExportFormatSamples;

namespace LabelBench.Core.Tests.Export;

public class ParquetExporterTests
{
    /// <summary>A row as Parquet.Net deserialises it: property names are the column names.</summary>
    public sealed class Row
    {
        public long id { get; set; }
        public string? external_id { get; set; }
        public string? split { get; set; }
        public string? text { get; set; }
        public string? sentiment { get; set; }
        public string? topics { get; set; }
        public int? stars { get; set; }
        public string? note { get; set; }
        public string? entities { get; set; }
    }

    private static List<ExportItem> Items() =>
    [
        Item(1, """{"text": "Great kettle"}""", """{"sentiment": "positive", "topics": ["quality", "price"], "stars": 5, "note": "=SUM(A1)", "entities": [{"start": 0, "end": 5, "label": "PER"}]}""", "train"),
        Item(2, """{"text": "Late"}""", """{"sentiment": "negative"}"""),
        Item(3, """{"text": "No label yet"}""", null),
    ];

    [Fact]
    public async Task Columns_are_typed_and_read_back_with_parquet_net()
    {
        var bytes = await ExportAsync("parquet", Items(), new ExportOptions { Source = ExportSource.Final, Schema = Classification });

        using (var stream = new MemoryStream(bytes))
        await using (var reader = await ParquetReader.CreateAsync(stream))
        {
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
            Assert.Equal(["id", "external_id", "split", "text", "sentiment", "topics", "stars", "note", "entities"], reader.Schema.GetDataFields().Select(f => f.Name));
            Assert.Equal(typeof(long), fields["id"].ClrType);
            Assert.False(fields["id"].IsNullable);
            Assert.Equal(typeof(int), fields["stars"].ClrType);
            Assert.True(fields["stars"].IsNullable);
            Assert.All(new[] { "external_id", "split", "text", "sentiment", "topics", "note", "entities" }, n => Assert.Contains(fields[n].ClrType, new[] { typeof(string), typeof(ReadOnlyMemory<char>) }));
        }

        var rows = (await ParquetSerializer.DeserializeAsync<Row>(new MemoryStream(bytes))).Data;
        Assert.Equal(2, rows.Count);
        Assert.Equal(1, rows[0].id);
        Assert.Equal("ext-1", rows[0].external_id);
        Assert.Equal("train", rows[0].split);
        Assert.Equal("Great kettle", rows[0].text);
        Assert.Equal("positive", rows[0].sentiment);
        Assert.Equal("quality|price", rows[0].topics);
        Assert.Equal(5, rows[0].stars);
        Assert.Equal("=SUM(A1)", rows[0].note);
        Assert.Equal("""[{"start":0,"end":5,"label":"PER"}]""", rows[0].entities);
        Assert.Null(rows[1].stars);
        Assert.Null(rows[1].topics);
        Assert.Null(rows[1].split);
    }

    [Fact]
    public async Task Large_exports_are_written_in_row_groups()
    {
        var many = Enumerable.Range(1, 25_000).Select(i => Item(i, """{"text": "t"}""", """{"sentiment": "neutral", "stars": 3}""")).ToList();

        var bytes = await ExportAsync("parquet", many, new ExportOptions { Source = ExportSource.Final, Schema = Classification });

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes));
        Assert.Equal(3, reader.RowGroupCount);
        var rows = (await ParquetSerializer.DeserializeAsync<Row>(new MemoryStream(bytes))).Data;
        Assert.Equal(25_000, rows.Count);
        Assert.Equal(25_000, rows[^1].id);
    }

    [Fact]
    public async Task All_source_has_annotator_columns_and_a_row_per_annotation()
    {
        var items = new List<ExportItem>
        {
            Item(1, """{"text": "x"}""", null, null, Annotation(4, "annotator-aaaaaa", """{"sentiment": "positive"}"""), Annotation(5, "annotator-bbbbbb", """{"sentiment": "neutral"}""")),
        };

        var bytes = await ExportAsync("parquet", items, new ExportOptions { Source = ExportSource.All, Schema = Classification });

        var result = await ParquetSerializer.DeserializeUntypedAsync(new MemoryStream(bytes));
        Assert.Contains(result.Schema.GetDataFields(), f => f.Name == "annotator");
        Assert.Equal(["annotator-aaaaaa", "annotator-bbbbbb"], result.Data.Select(r => r["annotator"]?.ToString()));
        Assert.Equal([4L, 5L], result.Data.Select(r => (long)r["annotation_id"]!));
    }

    [Fact]
    public async Task Non_seekable_output_gets_the_same_bytes()
    {
        var options = new ExportOptions { Source = ExportSource.Final, Schema = Classification };
        using var target = new MemoryStream();
        await using var forwardOnly = new ForwardOnlyStream(target);

        await ExportFormats.WriteAsync("parquet", Stream(Items()), forwardOnly, options);

        Assert.Equal(await ExportAsync("parquet", Items(), options), target.ToArray());
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
