using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Import;

/// <summary>Which item data keys a label schema reads that an import record lacks; the caller decides whether that refuses the row.</summary>
public static class SchemaDataKeyCheck
{
    /// <summary>The schema's data keys (sources and responses) absent from <paramref name="data"/> or null there, in schema order.</summary>
    public static IReadOnlyList<string> MissingKeys(LabelSchema schema, JsonObject data) =>
        schema.DataKeys().Where(key => data[key] is null).ToList();

    /// <summary>A row rejection naming every missing key, or null when the record has them all.</summary>
    public static ImportRejection? Check(LabelSchema schema, ImportRecord record, string sourceName)
    {
        var missing = MissingKeys(schema, record.Data);
        return missing.Count switch
        {
            0 => null,
            1 => new ImportRejection(sourceName, record.Line, $"the data has no \"{missing[0]}\", which the schema reads"),
            _ => new ImportRejection(sourceName, record.Line, $"the data has no {string.Join(", ", missing.Select(k => $"\"{k}\""))}, which the schema reads"),
        };
    }
}
