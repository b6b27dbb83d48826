using System.Text.Encodings.Web;
using System.Text.Json;

namespace LabelBench.Data.Services;

/// <summary>The JSON settings LabelBench writes with: camelCase, compact, stable.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
