using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LabelBench.Core.Import;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>
/// Writes a zip that the Hugging Face <c>datasets</c> library loads as a folder: <c>README.md</c> (a dataset card whose
/// YAML front matter has <c>configs</c> naming the split files and <c>dataset_info.features</c> typing every column) and
/// one <c>&lt;split&gt;.jsonl</c> per split (items without a split go to <c>train</c>).
/// </summary>
/// <remarks>
/// <para>Columns (see <see cref="RecordColumns"/>): <c>id</c> int64, <c>external_id</c> string, with
/// <see cref="ExportSource.All"/> <c>annotator</c> string and <c>annotation_id</c> int64 (one row per submitted
/// annotation), the data keys as strings, then per field: a single choice as a <c>ClassLabel</c> whose names are the
/// options in schema order (the file holds the option value; the loader maps it to its index), multiple choices as a
/// sequence of that <c>ClassLabel</c>, a rating as int64, text as string, and structured fields (spans, regions,
/// pairwise, ranking) as compact JSON strings. An empty field is null.</para>
/// <para><c>load_dataset("path/to/unzipped")</c> reads the card and applies its features;
/// <c>load_dataset("json", data_files=...)</c> reads the same files without them.</para>
/// <para>Rows are spooled per split to scratch storage and copied into the zip at the end, so memory stays flat.</para>
/// </remarks>
public static class HuggingFaceExporter
{
    public static async Task<ExportResult> WriteAsync(IAsyncEnumerable<ExportItem> items, Stream stream, ExportOptions options, CancellationToken ct = default)
    {
        var schema = options.RequireSchema("Hugging Face");
        var columns = new RecordColumns(schema, options.DataKeys, withSplit: false, withAnnotator: options.Source == ExportSource.All);
        var spools = new Dictionary<string, (Stream Stream, Utf8JsonWriter Json, int Rows)>(StringComparer.Ordinal);
        var written = 0;
        try
        {
            await foreach (var item in items.WithCancellation(ct))
            {
                foreach (var record in LabelRecord.Of(item, options.Source))
                {
                    var split = item.Split ?? DatasetSplits.Train;
                    if (!spools.TryGetValue(split, out var spool))
                    {
                        var scratch = options.NewScratch();
                        spool = (scratch, new Utf8JsonWriter(scratch, ExportValues.WriterOptions), 0);
                    }

                    WriteRow(spool.Json, columns, record);
                    await spool.Json.FlushAsync(ct);
                    spool.Json.Reset();
                    await spool.Stream.WriteAsync("\n"u8.ToArray(), ct);
                    spools[split] = spool with { Rows = spool.Rows + 1 };
                    written++;
                }
            }

            var splits = spools.Keys.OrderBy(SplitOrder).ThenBy(s => s, StringComparer.Ordinal).ToList();
            await using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8);
            await ExportValues.WriteTextEntryAsync(zip, "README.md", Card(schema, columns, splits.Select(s => (s, spools[s].Rows)).ToList(), options.Source), ct);
            foreach (var split in splits)
            {
                var spool = spools[split];
                spool.Stream.Position = 0;
                var entry = ExportValues.CreateEntry(zip, split + ".jsonl");
                await using var target = await entry.OpenAsync(ct);
                await spool.Stream.CopyToAsync(target, ct);
            }
        }
        finally
        {
            foreach (var spool in spools.Values)
            {
                await spool.Json.DisposeAsync();
                await spool.Stream.DisposeAsync();
            }
        }

        await stream.FlushAsync(ct);
        return new ExportResult(written);
    }

    private static int SplitOrder(string split) => split switch
    {
        DatasetSplits.Train => 0,
        DatasetSplits.Validation => 1,
        DatasetSplits.Test => 2,
        _ => 3,
    };

    private static void WriteRow(Utf8JsonWriter json, RecordColumns columns, LabelRecord record)
    {
        json.WriteStartObject();
        json.WriteNumber("id", record.Item.ItemId);
        WriteString(json, "external_id", record.Item.ExternalId);
        if (columns.Fixed.Contains("annotator"))
        {
            WriteString(json, "annotator", record.Annotation?.Annotator);
            if (record.Annotation is null)
            {
                json.WriteNull("annotation_id");
            }
            else
            {
                json.WriteNumber("annotation_id", record.Annotation.Id);
            }
        }

        foreach (var key in columns.DataKeys)
        {
            WriteString(json, key, ExportValues.Text(record.Item.Data[key]));
        }

        foreach (var column in columns.Labels)
        {
            var value = record.Result[column.Field.Name];
            switch (column.Kind)
            {
                case LabelColumnKind.Choices:
                    if (RecordColumns.ChoiceList(value) is { } list)
                    {
                        json.WriteStartArray(column.Name);
                        foreach (var choice in list)
                        {
                            json.WriteStringValue(choice);
                        }

                        json.WriteEndArray();
                    }
                    else
                    {
                        json.WriteNull(column.Name);
                    }

                    break;
                case LabelColumnKind.Rating:
                    if (RecordColumns.Rating(value) is { } rating)
                    {
                        json.WriteNumber(column.Name, rating);
                    }
                    else
                    {
                        json.WriteNull(column.Name);
                    }

                    break;
                case LabelColumnKind.Choice or LabelColumnKind.Text:
                    WriteString(json, column.Name, RecordColumns.ChoiceText(value));
                    break;
                default:
                    WriteString(json, column.Name, RecordColumns.Json(value));
                    break;
            }
        }

        json.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The dataset card: YAML front matter the <c>datasets</c> library reads, then a short description.</summary>
    internal static string Card(LabelSchema schema, RecordColumns columns, IReadOnlyList<(string Split, int Rows)> splits, ExportSource source)
    {
        var q = ExportValues.Quote;
        var yaml = new StringBuilder();
        yaml.Append("---\n");
        yaml.Append("configs:\n- config_name: default\n  data_files:\n");
        foreach (var (split, _) in splits)
        {
            yaml.Append("  - split: ").Append(q(split)).Append('\n');
            yaml.Append("    path: ").Append(q(split + ".jsonl")).Append('\n');
        }

        yaml.Append("dataset_info:\n  features:\n");
        void Feature(string name, string dtype) => yaml.Append("  - name: ").Append(q(name)).Append("\n    dtype: ").Append(dtype).Append('\n');
        Feature("id", "int64");
        Feature("external_id", "string");
        if (columns.Fixed.Contains("annotator"))
        {
            Feature("annotator", "string");
            Feature("annotation_id", "int64");
        }

        foreach (var key in columns.DataKeys)
        {
            Feature(key, "string");
        }

        foreach (var column in columns.Labels)
        {
            switch (column.Kind)
            {
                case LabelColumnKind.Choice:
                    yaml.Append("  - name: ").Append(q(column.Name)).Append("\n    dtype:\n      class_label:\n        names:\n");
                    AppendNames(yaml, column.Field, "          ");
                    break;
                case LabelColumnKind.Choices:
                    yaml.Append("  - name: ").Append(q(column.Name)).Append("\n    sequence:\n      class_label:\n        names:\n");
                    AppendNames(yaml, column.Field, "          ");
                    break;
                case LabelColumnKind.Rating:
                    Feature(column.Name, "int64");
                    break;
                default:
                    Feature(column.Name, "string");
                    break;
            }
        }

        yaml.Append("  splits:\n");
        foreach (var (split, rows) in splits)
        {
            yaml.Append("  - name: ").Append(q(split)).Append("\n    num_examples: ").Append(rows).Append('\n');
        }

        yaml.Append("---\n\n");
        yaml.Append("# LabelBench export\n\n");
        yaml.Append(source == ExportSource.All
            ? "One row per submitted annotation (`annotator` is a pseudonym unless the project shares emails).\n\n"
            : "One row per item with its final label (`source`: " + source.ToString().ToLowerInvariant() + ").\n\n");
        yaml.Append("| column | what |\n| --- | --- |\n");
        yaml.Append("| `id` | the item's id in LabelBench |\n| `external_id` | the id the item was imported with |\n");
        foreach (var key in columns.DataKeys)
        {
            yaml.Append("| `").Append(key).Append("` | item data |\n");
        }

        foreach (var column in columns.Labels)
        {
            yaml.Append("| `").Append(column.Name).Append("` | ").Append(column.Field.Kind.ToName()).Append(" field `").Append(column.Field.Name).Append('`')
                .Append(column.Kind == LabelColumnKind.Json ? " as JSON text" : string.Empty).Append(" |\n");
        }

        yaml.Append("\n```python\nfrom datasets import load_dataset\nds = load_dataset(\"path/to/this/folder\")\n```\n");
        return yaml.ToString();
    }

    private static void AppendNames(StringBuilder yaml, SchemaField field, string indent)
    {
        for (var i = 0; i < field.Options.Count; i++)
        {
            yaml.Append(indent).Append('"').Append(i).Append("\": ").Append(ExportValues.Quote(field.Options[i].Value)).Append('\n');
        }
    }
}
