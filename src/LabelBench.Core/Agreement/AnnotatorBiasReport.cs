namespace LabelBench.Core.Agreement;

/// <summary>Bias profiles of every annotator with judgements; <see cref="Labels"/> index the counts and matrices.</summary>
public sealed record AnnotatorBiasReport(IReadOnlyList<string> Labels, IReadOnlyList<AnnotatorBiasProfile> Annotators);
