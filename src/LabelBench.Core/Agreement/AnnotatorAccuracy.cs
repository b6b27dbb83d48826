namespace LabelBench.Core.Agreement;

/// <summary>One annotator's judgements of gold items and how many were right; <paramref name="Accuracy"/> is null when they judged none.</summary>
public sealed record AnnotatorAccuracy(string Annotator, int GoldJudgements, int Correct, double? Accuracy);
