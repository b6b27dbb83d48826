using System.Text.Json.Nodes;

namespace LabelBench.Core.Import;

/// <summary>One item read from an import file: where it was, its external id, data, split and model predictions.</summary>
/// <param name="Line">1-based line the record starts on (for CSV the header is line 1).</param>
public sealed record ImportRecord(int Line, string? ExternalId, JsonObject Data, IReadOnlyList<PredictionRecord> Predictions, string? Split)
{
    /// <summary>Submitted annotations carried by a JSONL export line (<c>"annotations"</c>), to recreate them.</summary>
    public IReadOnlyList<AnnotationRecord> Annotations { get; init; } = [];

    /// <summary>The final result of an export line whose <c>finalSource</c> is <c>adjudication</c>, to recreate the decision.</summary>
    public JsonObject? Adjudicated { get; init; }
}

/// <summary>One annotator's submitted result, as the JSONL export writes it.</summary>
/// <param name="Annotator">The exported annotator name (a pseudonym, or an email where the project shared them).</param>
public sealed record AnnotationRecord(string Annotator, JsonObject Result, long TimeSpentMs, DateTimeOffset? SubmittedAt);
