using System.Text.Json.Nodes;

namespace LabelBench.Core.Import;

/// <summary>A model's result for an item, with its confidence <paramref name="Score"/> and per-label probabilities <paramref name="Scores"/>.</summary>
public sealed record PredictionRecord(string Model, JsonObject Result, double? Score, IReadOnlyDictionary<string, double>? Scores);
