using System.Text.Json.Nodes;

namespace LabelBench.Core.Agreement;

/// <summary>
/// The agreement figures of a judgement set as the JSON the CLI prints (CONTRACT.md, <c>agreement --input</c>):
/// <c>{"metric", "value", "items", "annotators", "judgements", ...}</c> for one metric, or <c>{"metrics": [...]}</c> for
/// <c>all</c>, which lists every metric that applies and, under <c>skipped</c>, why the others do not.
/// </summary>
public static class AgreementReport
{
    /// <param name="metric">A metric id from <see cref="AgreementMetrics"/>, or <c>all</c>.</param>
    /// <param name="level"><c>nominal</c>, <c>ordinal</c>, <c>interval</c> or <c>ratio</c>, for Krippendorff's alpha.</param>
    /// <param name="weights"><c>none</c>, <c>linear</c> or <c>quadratic</c>, for Cohen's kappa.</param>
    /// <exception cref="AgreementException">Unknown option, or a single metric that cannot be computed on the data.</exception>
    public static JsonObject Compute(JudgementSet set, string metric = AgreementMetrics.All, string level = "nominal", string weights = "none")
    {
        var measurementLevel = ParseLevel(level);
        var kappaWeights = ParseWeights(weights);
        if (!string.Equals(metric, AgreementMetrics.All, StringComparison.Ordinal))
        {
            return ToJson(ComputeMetric(set, metric, measurementLevel, kappaWeights));
        }

        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements(AgreementMetrics.All);
        }

        var metrics = new JsonArray();
        var skipped = new JsonArray();
        foreach (var id in AgreementMetrics.Each)
        {
            try
            {
                metrics.Add(ToJson(ComputeMetric(set, id, measurementLevel, kappaWeights)));
            }
            catch (AgreementException e)
            {
                skipped.Add(new JsonObject { ["metric"] = id, ["reason"] = e.Message });
            }
        }

        return new JsonObject { ["metrics"] = metrics, ["skipped"] = skipped };
    }

    public static AgreementResult ComputeMetric(JudgementSet set, string metric, MeasurementLevel level, KappaWeighting weights) => metric switch
    {
        AgreementMetrics.PercentAgreement => PercentAgreement.Compute(set),
        AgreementMetrics.CohenKappa => CohenKappa.Compute(set, weights),
        AgreementMetrics.ScottsPi => ScottsPi.Compute(set),
        AgreementMetrics.FleissKappa => FleissKappa.Compute(set),
        AgreementMetrics.KrippendorffAlpha => KrippendorffAlpha.Compute(set, level),
        _ => throw new AgreementException(
            $"unknown metric '{metric}'; use one of {string.Join(", ", AgreementMetrics.Each)} or {AgreementMetrics.All}"),
    };

    /// <summary>One result as JSON; an undefined value is written as null, with the reason under "note".</summary>
    public static JsonObject ToJson(AgreementResult result)
    {
        var json = new JsonObject
        {
            ["metric"] = result.Metric,
            ["value"] = Number(result.Value),
            ["items"] = result.Items,
            ["annotators"] = result.Annotators,
            ["judgements"] = result.Judgements,
        };
        if (result.Level is { } level)
        {
            json["level"] = Name(level);
        }

        if (result.Weights is { } weights)
        {
            json["weights"] = Name(weights);
        }

        AddIfPresent(json, "observedAgreement", result.ObservedAgreement);
        AddIfPresent(json, "expectedAgreement", result.ExpectedAgreement);
        AddIfPresent(json, "observedDisagreement", result.ObservedDisagreement);
        AddIfPresent(json, "expectedDisagreement", result.ExpectedDisagreement);
        if (result.Note is not null)
        {
            json["note"] = result.Note;
        }

        return json;
    }

    public static MeasurementLevel ParseLevel(string level) => level.Trim().ToLowerInvariant() switch
    {
        "nominal" => MeasurementLevel.Nominal,
        "ordinal" => MeasurementLevel.Ordinal,
        "interval" => MeasurementLevel.Interval,
        "ratio" => MeasurementLevel.Ratio,
        _ => throw new AgreementException($"unknown level '{level}'; use nominal, ordinal, interval or ratio"),
    };

    public static KappaWeighting ParseWeights(string weights) => weights.Trim().ToLowerInvariant() switch
    {
        "none" => KappaWeighting.None,
        "linear" => KappaWeighting.Linear,
        "quadratic" => KappaWeighting.Quadratic,
        _ => throw new AgreementException($"unknown weights '{weights}'; use none, linear or quadratic"),
    };

    public static string Name(MeasurementLevel level) => level.ToString().ToLowerInvariant();

    public static string Name(KappaWeighting weights) => weights.ToString().ToLowerInvariant();

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static void AddIfPresent(JsonObject json, string key, double? value)
    {
        if (value is { } v)
        {
            json[key] = Number(v);
        }
    }
}
