using Parquet;
using Parquet.Schema;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes a Parquet file (Parquet.Net, Snappy) with typed columns, in row groups of <see cref="RowGroupSize"/> rows so
/// memory stays flat whatever the size of the export.
/// </summary>
/// <remarks>
/// <para>Columns (see <see cref="RecordColumns"/>): <c>id</c> int64, <c>external_id</c> and <c>split</c> strings, with
/// <see cref="ExportSource.All"/> <c>annotator</c> string and <c>annotation_id</c> int64 (one row per submitted
/// annotation), one string column per data key the schema reads, then per field: a single choice as a string,
/// multiple choices as one string with the choices joined by <c>|</c> in the order given (the same as the CSV
/// export; split on <c>|</c> to get the list), a rating as int32, text as a string, and structured fields (spans,
/// regions, pairwise, ranking) as compact JSON strings. Empty fields are null.</para>
/// <para>Parquet writes its footer with offsets into the file, so a stream that cannot seek (an HTTP response) gets the
/// file through scratch storage.</para>
/// </remarks>
public static class ParquetExporter
{
    public const int RowGroupSize = 10_000;

    public static async Task<ExportResult> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        if (!stream.CanSeek)
        {
            await using var scratch = options.NewScratch();
            var result = await WriteAsync(items, scratch, options, ct);
            scratch.Position = 0;
            await scratch.CopyToAsync(stream, ct);
            await stream.FlushAsync(ct);
            return result;
        }

        var schema = options.RequireSchema("Parquet");
        var columns = new RecordColumns(schema, options.DataKeys, withSplit: true, withAnnotator: options.Source == ExportSource.All);
        var ids = new Int64Column(new DataField<long>("id"));
        var externalIds = new StringColumn(new DataField<string>("external_id", nullable: true));
        var splits = new StringColumn(new DataField<string>("split", nullable: true));
        var withAnnotator = columns.Fixed.Contains("annotator");
        var annotators = new StringColumn(new DataField<string>("annotator", nullable: true));
        var annotationIds = new NullableInt64Column(new DataField<long?>("annotation_id"));
        var data = columns.DataKeys.Select(k => new StringColumn(new DataField<string>(k, nullable: true))).ToList();
        var labels = columns.Labels.Select(c => c.Kind == LabelColumnKind.Rating
            ? (Column)new NullableInt32Column(new DataField<int?>(c.Name))
            : new StringColumn(new DataField<string>(c.Name, nullable: true))).ToList();
        var all = new List<Column> { ids, externalIds, splits };
        if (withAnnotator)
        {
            all.Add(annotators);
            all.Add(annotationIds);
        }

        all.AddRange(data);
        all.AddRange(labels);
        var parquetSchema = new ParquetSchema(all.Select(c => (Field)c.Field));
        var written = 0;
        var rows = 0;
        await using (var writer = await ParquetWriter.CreateAsync(parquetSchema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: ct))
        {
            await foreach (var item in items.WithCancellation(ct))
            {
                foreach (var record in LabelRecord.Of(item, options.Source))
                {
                    ids.Values.Add(item.ItemId);
                    externalIds.Values.Add(item.ExternalId);
                    splits.Values.Add(item.Split);
                    if (withAnnotator)
                    {
                        annotators.Values.Add(record.Annotation?.Annotator);
                        annotationIds.Values.Add(record.Annotation?.Id);
                    }

                    for (var i = 0; i < data.Count; i++)
                    {
                        data[i].Values.Add(ExportValues.Text(item.Data[columns.DataKeys[i]]));
                    }

                    for (var i = 0; i < labels.Count; i++)
                    {
                        var column = columns.Labels[i];
                        var value = record.Result[column.Field.Name];
                        switch (labels[i])
                        {
                            case NullableInt32Column ratings:
                                ratings.Values.Add(RecordColumns.Rating(value));
                                break;
                            case StringColumn text:
                                text.Values.Add(column.Kind switch
                                {
                                    LabelColumnKind.Choices => RecordColumns.ChoiceList(value) is { } list ? string.Join(CsvExporter.ListSeparator, list) : null,
                                    LabelColumnKind.Json => RecordColumns.Json(value),
                                    _ => RecordColumns.ChoiceText(value),
                                });
                                break;
                        }
                    }

                    rows++;
                    written++;
                    if (rows == RowGroupSize)
                    {
                        await WriteRowGroupAsync(writer, all, ct);
                        rows = 0;
                    }
                }
            }

            if (rows > 0 || written == 0)
            {
                await WriteRowGroupAsync(writer, all, ct);
            }
        }

        await stream.FlushAsync(ct);
        return new ExportResult(written);
    }

    private static async Task WriteRowGroupAsync(ParquetWriter writer, List<Column> columns, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        foreach (var column in columns)
        {
            await column.WriteAsync(group, ct);
            column.Clear();
        }
    }

    private abstract class Column(DataField field)
    {
        public DataField Field { get; } = field;

        public abstract Task WriteAsync(ParquetRowGroupWriter group, CancellationToken ct);

        public abstract void Clear();
    }

    private sealed class StringColumn(DataField field) : Column(field)
    {
        public List<string?> Values { get; } = new(RowGroupSize);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken ct) => group.WriteAsync(Field, Values!, null);

        public override void Clear() => Values.Clear();
    }

    private sealed class Int64Column(DataField field) : Column(field)
    {
        public List<long> Values { get; } = new(RowGroupSize);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken ct) =>
            group.WriteAsync<long>(Field, Values.ToArray().AsMemory(), null, null, ct);

        public override void Clear() => Values.Clear();
    }

    private sealed class NullableInt64Column(DataField field) : Column(field)
    {
        public List<long?> Values { get; } = new(RowGroupSize);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken ct) =>
            group.WriteAsync<long>(Field, Values.ToArray().AsMemory(), null, null, ct);

        public override void Clear() => Values.Clear();
    }

    private sealed class NullableInt32Column(DataField field) : Column(field)
    {
        public List<int?> Values { get; } = new(RowGroupSize);

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken ct) =>
            group.WriteAsync<int>(Field, Values.ToArray().AsMemory(), null, null, ct);

        public override void Clear() => Values.Clear();
    }
}
