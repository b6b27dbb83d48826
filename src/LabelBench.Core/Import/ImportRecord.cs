using System.Text.Json.Nodes;

namespace LabelBench.Core.Import;

/// <summary>One item read from an import file: where it was, its external id, data, split and model predictions.</summary>
/// <param name="Line">1-based line the record starts on (for CSV the header is line 1).</param>
public sealed record ImportRecord(int Line, string? ExternalId, JsonObject Data, IReadOnlyList<PredictionRecord> Predictions, string? Split);
