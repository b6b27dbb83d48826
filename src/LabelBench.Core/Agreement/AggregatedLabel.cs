namespace LabelBench.Core.Agreement;

/// <summary>The label an aggregation chose for an item, how sure it is (vote share or posterior probability), and the judgements it saw.</summary>
public sealed record AggregatedLabel(string Item, string Label, double Confidence, int Judgements);
