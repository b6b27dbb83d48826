using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.ActiveLearning;

/// <summary>
/// Model versus human: accumulates, per model version, how its predictions compare with final labels and how often
/// annotators accepted its pre-annotations unchanged. Fed piece by piece, so callers can stream.
/// </summary>
public sealed class ModelAgreementBuilder(LabelSchema schema)
{
    private readonly Dictionary<string, Tally> tallies = new(StringComparer.Ordinal);

    /// <summary>How many predictions the version has in all, and when its first was stored.</summary>
    public void AddPredictions(string model, long count, DateTimeOffset? firstAt = null)
    {
        var tally = TallyOf(model);
        tally.Predictions += count;
        if (firstAt is { } at && (tally.FirstAt is null || at < tally.FirstAt))
        {
            tally.FirstAt = at;
        }
    }

    /// <summary>One prediction of the version for an item that has a final label.</summary>
    public void Compare(string model, JsonObject result, JsonObject final)
    {
        if (ResultComparison.Agrees(schema, result, final) is not { } agrees)
        {
            return;
        }

        var tally = TallyOf(model);
        tally.Compared++;
        if (agrees)
        {
            tally.Agreeing++;
        }
    }

    /// <summary>Counts of submitted annotations that started from a pre-annotation of <paramref name="model"/>.</summary>
    public void AddPreAnnotations(string model, long shown, long acceptedUnchanged)
    {
        var tally = TallyOf(model);
        tally.PreAnnotations += shown;
        tally.AcceptedUnchanged += acceptedUnchanged;
    }

    /// <summary>Every version seen, oldest first (by first prediction, then name).</summary>
    public IReadOnlyList<ModelVersionAgreement> Build() =>
        tallies.Select(kv => new ModelVersionAgreement(
                kv.Key,
                kv.Value.Predictions,
                kv.Value.Compared,
                kv.Value.Agreeing,
                kv.Value.Compared == 0 ? null : (double)kv.Value.Agreeing / kv.Value.Compared,
                kv.Value.PreAnnotations,
                kv.Value.AcceptedUnchanged,
                kv.Value.PreAnnotations == 0 ? null : (double)kv.Value.AcceptedUnchanged / kv.Value.PreAnnotations,
                kv.Value.FirstAt))
            .OrderBy(v => v.FirstPredictedAt ?? DateTimeOffset.MaxValue).ThenBy(v => v.Model, StringComparer.Ordinal)
            .ToList();

    private Tally TallyOf(string model)
    {
        if (!tallies.TryGetValue(model, out var tally))
        {
            tally = new Tally();
            tallies[model] = tally;
        }

        return tally;
    }

    private sealed class Tally
    {
        public long Predictions;
        public long Compared;
        public long Agreeing;
        public long PreAnnotations;
        public long AcceptedUnchanged;
        public DateTimeOffset? FirstAt;
    }
}
