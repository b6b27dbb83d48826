namespace LabelBench.Core.Annotations;

/// <summary>When submitted annotations count as agreeing on an item's final label.</summary>
public enum AgreementRule
{
    /// <summary>Every annotator gave the same value.</summary>
    Unanimous,

    /// <summary>More than half of the annotators gave the same value (a tie is no majority).</summary>
    Majority,
}
