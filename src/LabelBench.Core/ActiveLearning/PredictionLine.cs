using LabelBench.Core.Import;

namespace LabelBench.Core.ActiveLearning;

/// <summary>
/// One prediction for an existing item, from a predictions file or a model service: the item by its LabelBench id
/// and/or its external id, and the model's result.
/// </summary>
/// <param name="Line">1-based line in the file (position in a model service's answer).</param>
public sealed record PredictionLine(int Line, long? ItemId, string? ExternalId, PredictionRecord Prediction);

/// <summary>One result of reading predictions: a <see cref="Line"/> or a <see cref="Rejection"/> (same contract as <see cref="ImportRow"/>).</summary>
public sealed record PredictionRow(PredictionLine? Line, ImportRejection? Rejection)
{
    public static PredictionRow Accepted(PredictionLine line) => new(line, null);

    public static PredictionRow Rejected(string source, int line, string error) => new(null, new ImportRejection(source, line, error));

    public bool IsWholeFileRejection => Rejection is { IsWholeFile: true };
}
