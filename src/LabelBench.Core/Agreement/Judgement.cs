namespace LabelBench.Core.Agreement;

/// <summary>One annotator's label for one item; a null or empty <paramref name="Label"/> is a missing judgement.</summary>
public sealed record Judgement(string Item, string Annotator, string? Label);
