using System.Text.Json.Nodes;
using LabelBench.Core.Json;

namespace LabelBench.Core.Import;

/// <summary>Reads the <c>predictions</c> list of an import record and checks its shape (not its fit to the schema).</summary>
internal static class PredictionParser
{
    private static readonly HashSet<string> KnownKeys = ["model", "result", "score", "scores"];

    /// <summary>The predictions, or null with <paramref name="error"/> saying what is wrong. Detaches result objects from <paramref name="node"/>.</summary>
    public static List<PredictionRecord>? Read(JsonNode? node, out string? error)
    {
        error = null;
        var predictions = new List<PredictionRecord>();
        if (node is null)
        {
            return predictions;
        }

        if (node is not JsonArray array)
        {
            error = "\"predictions\" must be a list of {\"model\", \"result\", \"score\"?, \"scores\"?}";
            return null;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var path = $"predictions[{i}]";
            if (array[i] is not JsonObject p)
            {
                error = $"{path} must be an object with \"model\" and \"result\"";
                return null;
            }

            var unknown = p.Select(kv => kv.Key).FirstOrDefault(k => !KnownKeys.Contains(k));
            if (unknown is not null)
            {
                error = $"{path} has the unknown property \"{unknown}\" (expected model, result, score, scores)";
                return null;
            }

            if (!JsonNumber.TryGetString(p["model"], out var model) || string.IsNullOrWhiteSpace(model))
            {
                error = $"{path}.model is required: the name (and version) of the model, as a string";
                return null;
            }

            if (p["result"] is not JsonObject result)
            {
                error = $"{path}.result is required: an object of field name → value, like an annotation";
                return null;
            }

            double? score = null;
            if (p["score"] is { } scoreNode)
            {
                if (!JsonNumber.TryGetDouble(scoreNode, out var s) || s is < 0 or > 1)
                {
                    error = $"{path}.score must be a number from 0 to 1";
                    return null;
                }

                score = s;
            }

            Dictionary<string, double>? scores = null;
            if (p["scores"] is { } scoresNode)
            {
                if (scoresNode is not JsonObject scoresObject)
                {
                    error = $"{path}.scores must be an object of label → probability";
                    return null;
                }

                scores = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (label, value) in scoresObject)
                {
                    if (!JsonNumber.TryGetDouble(value, out var probability) || probability is < 0 or > 1)
                    {
                        error = $"{path}.scores[\"{label}\"] must be a number from 0 to 1";
                        return null;
                    }

                    scores[label] = probability;
                }
            }

            p.Remove("result");
            predictions.Add(new PredictionRecord(model, result, score, scores));
        }

        return predictions;
    }
}
