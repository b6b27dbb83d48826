using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>The kind of value a label column holds in the typed formats (Parquet, Hugging Face).</summary>
public enum LabelColumnKind
{
    /// <summary>One choice, as its option value.</summary>
    Choice,

    /// <summary>Several choices (a multiple choices field).</summary>
    Choices,

    /// <summary>A rating, a whole number.</summary>
    Rating,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>Anything structured (spans, regions, pairwise, ranking), as compact JSON text.</summary>
    Json,
}

/// <summary>One label column: the schema field, its column name and kind.</summary>
public sealed record LabelColumn(SchemaField Field, string Name, LabelColumnKind Kind);

/// <summary>
/// The columns of the typed formats, in order: <c>id</c>, <c>external_id</c>, (<c>split</c>), with <see cref="ExportSource.All"/>
/// <c>annotator</c> and <c>annotation_id</c>, one string column per data key the schema reads (text as is, other JSON
/// values as JSON text), then one column per schema field. A field whose name is already taken is named <c>label_&lt;name&gt;</c>.
/// </summary>
internal sealed class RecordColumns
{
    public RecordColumns(LabelSchema schema, IReadOnlyList<string>? dataKeys, bool withSplit, bool withAnnotator)
    {
        var fixedColumns = new List<string> { "id", "external_id" };
        if (withSplit)
        {
            fixedColumns.Add("split");
        }

        if (withAnnotator)
        {
            fixedColumns.Add("annotator");
            fixedColumns.Add("annotation_id");
        }

        Fixed = fixedColumns;
        var taken = new HashSet<string>(fixedColumns, StringComparer.Ordinal);
        DataKeys = (dataKeys ?? schema.DataKeys().ToList()).Where(taken.Add).ToList();
        var labels = new List<LabelColumn>();
        foreach (var field in schema.Fields)
        {
            var name = field.Name;
            while (!taken.Add(name))
            {
                name = "label_" + name;
            }

            labels.Add(new LabelColumn(field, name, KindOf(field)));
        }

        Labels = labels;
    }

    public IReadOnlyList<string> Fixed { get; }

    public IReadOnlyList<string> DataKeys { get; }

    public IReadOnlyList<LabelColumn> Labels { get; }

    public static LabelColumnKind KindOf(SchemaField field) => field.Kind switch
    {
        FieldKind.Choices => field.Multiple ? LabelColumnKind.Choices : LabelColumnKind.Choice,
        FieldKind.Rating => LabelColumnKind.Rating,
        FieldKind.Text => LabelColumnKind.Text,
        _ => LabelColumnKind.Json,
    };

    /// <summary>The choices of a multiple choices value, in the order given; null when the field is empty.</summary>
    public static List<string>? ChoiceList(JsonNode? value) =>
        ExportValues.IsEmpty(value) ? null : value is JsonArray a ? a.Select(ExportValues.Text).OfType<string>().ToList() : [ExportValues.Text(value)!];

    public static string? ChoiceText(JsonNode? value) => ExportValues.IsEmpty(value) ? null : ExportValues.Text(value);

    public static int? Rating(JsonNode? value) => ExportValues.TryInt(value, out var r) ? r : null;

    public static string? Json(JsonNode? value) => ExportValues.IsEmpty(value) ? null : value!.ToJsonString(ExportValues.CompactJson);
}
