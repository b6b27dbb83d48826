namespace LabelBench.Core.ActiveLearning;

/// <summary>How one model version fared against the humans.</summary>
/// <param name="Model">The model name and version, as stored with its predictions.</param>
/// <param name="Predictions">Predictions stored for this version.</param>
/// <param name="Compared">Predictions for items that have a final label and that could be compared with it.</param>
/// <param name="Agreeing">Of those, how many match the final label.</param>
/// <param name="Agreement">Agreeing ÷ Compared; null when nothing could be compared.</param>
/// <param name="PreAnnotations">Submitted annotations that were shown this version's prediction as a pre-annotation.</param>
/// <param name="AcceptedUnchanged">Of those, how many the annotator submitted without changing anything.</param>
/// <param name="AcceptedUnchangedShare">AcceptedUnchanged ÷ PreAnnotations; null when there were none.</param>
/// <param name="FirstPredictedAt">When the version's first prediction was stored, to list versions in order.</param>
public sealed record ModelVersionAgreement(
    string Model,
    long Predictions,
    long Compared,
    long Agreeing,
    double? Agreement,
    long PreAnnotations,
    long AcceptedUnchanged,
    double? AcceptedUnchangedShare,
    DateTimeOffset? FirstPredictedAt);
