namespace LabelBench.Core.Agreement;

/// <summary>Gold accuracy of every annotator, and over all judgements of gold items.</summary>
/// <param name="GoldItems">Gold items given.</param>
/// <param name="GoldItemsJudged">Gold items with at least one judgement.</param>
/// <param name="OverallAccuracy">Correct judgements over all judgements of gold items; null when there are none.</param>
public sealed record GoldAccuracyResult(IReadOnlyList<AnnotatorAccuracy> Annotators, int GoldItems, int GoldItemsJudged, double? OverallAccuracy);
