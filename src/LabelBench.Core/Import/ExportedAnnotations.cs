using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Json;

namespace LabelBench.Core.Import;

/// <summary>Reads the <c>annotations</c> list of a JSONL export line (see <c>JsonlExporter</c>) and checks its shape.</summary>
internal static class ExportedAnnotations
{
    /// <summary>The submitted annotations (others, such as skips, are left out), or null with <paramref name="error"/> saying what is wrong.</summary>
    public static List<AnnotationRecord>? Read(JsonNode? node, out string? error)
    {
        error = null;
        var annotations = new List<AnnotationRecord>();
        if (node is null)
        {
            return annotations;
        }

        if (node is not JsonArray array)
        {
            error = "\"annotations\" must be a list of {\"annotator\", \"result\", ...} as the JSONL export writes it";
            return null;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var path = $"annotations[{i}]";
            if (array[i] is not JsonObject a)
            {
                error = $"{path} must be an object";
                return null;
            }

            if (a["status"] is { } status && (!JsonNumber.TryGetString(status, out var s) || s != "submitted"))
            {
                continue;
            }

            if (!JsonNumber.TryGetString(a["annotator"], out var annotator) || string.IsNullOrWhiteSpace(annotator))
            {
                error = $"{path}.annotator is required: who made it (a pseudonym or an email)";
                return null;
            }

            if (a["result"] is not JsonObject result)
            {
                error = $"{path}.result is required: an object of field name → value";
                return null;
            }

            long spent = 0;
            if (a["timeSpentMs"] is { } spentNode && (!JsonNumber.TryGetDouble(spentNode, out var d) || d < 0 || d != Math.Floor(d)))
            {
                error = $"{path}.timeSpentMs must be a whole number of milliseconds, not negative";
                return null;
            }
            else if (a["timeSpentMs"] is not null)
            {
                JsonNumber.TryGetDouble(a["timeSpentMs"], out var ms);
                spent = (long)ms;
            }

            DateTimeOffset? submitted = null;
            if (a["submittedAt"] is { } at)
            {
                if (!JsonNumber.TryGetString(at, out var text)
                    || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                {
                    error = $"{path}.submittedAt must be an ISO 8601 time such as 2026-03-04T05:06:07.000Z";
                    return null;
                }

                submitted = time;
            }

            annotations.Add(new AnnotationRecord(annotator, result, spent, submitted));
        }

        return annotations;
    }
}
