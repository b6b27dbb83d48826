namespace LabelBench.Core.Queue;

/// <summary>What an item's submitted annotations mean for its places (see <see cref="OverlapPolicy.Decide"/>).</summary>
public enum OverlapOutcome
{
    /// <summary>Fewer submissions than the item's current target: keep waiting for them.</summary>
    Waiting,

    /// <summary>The target is reached and the annotators agree, or the maximum is reached: the item is done.</summary>
    Complete,

    /// <summary>The target is reached, the annotators disagree and the maximum allows it: one more place opens.</summary>
    OneMore,
}
