using System.Text.Json.Nodes;
using LabelBench.Core.Json;

namespace LabelBench.Core.Import;

/// <summary>Reads the <c>predictions</c> list of an import record and checks its shape (not its fit to the schema).</summary>
internal static class PredictionParser
{
    /// <summary>The longest model name stored.</summary>
    public const int MaxModelLength = 200;

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

            var prediction = ReadOne(p, path + ".", out error);
            if (prediction is null)
            {
                return null;
            }

            predictions.Add(prediction);
        }

        return predictions;
    }

    /// <summary>
    /// Reads <c>model</c>, <c>result</c>, <c>score</c> and <c>scores</c> of one prediction object (other keys are the
    /// caller's to check); <paramref name="prefix"/> goes before the property names in <paramref name="error"/>.
    /// Detaches the result object from <paramref name="p"/>.
    /// </summary>
    internal static PredictionRecord? ReadOne(JsonObject p, string prefix, out string? error)
    {
        error = null;
        if (!JsonNumber.TryGetString(p["model"], out var model) || string.IsNullOrWhiteSpace(model))
        {
            error = $"{prefix}model is required: the name (and version) of the model, as a string";
            return null;
        }

        if (model.Length > MaxModelLength)
        {
            error = $"{prefix}model has at most {MaxModelLength} characters";
            return null;
        }

        if (p["result"] is not JsonObject result)
        {
            error = $"{prefix}result is required: an object of field name → value, like an annotation";
            return null;
        }

        double? score = null;
        if (p["score"] is { } scoreNode)
        {
            if (!JsonNumber.TryGetDouble(scoreNode, out var s) || s is < 0 or > 1)
            {
                error = $"{prefix}score must be a number from 0 to 1";
                return null;
            }

            score = s;
        }

        Dictionary<string, double>? scores = null;
        if (p["scores"] is { } scoresNode)
        {
            if (scoresNode is not JsonObject scoresObject)
            {
                error = $"{prefix}scores must be an object of label → probability";
                return null;
            }

            scores = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (label, value) in scoresObject)
            {
                if (!JsonNumber.TryGetDouble(value, out var probability) || probability is < 0 or > 1)
                {
                    error = $"{prefix}scores[\"{label}\"] must be a number from 0 to 1";
                    return null;
                }

                scores[label] = probability;
            }
        }

        p.Remove("result");
        return new PredictionRecord(model, result, score, scores);
    }
}
