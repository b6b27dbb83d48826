namespace LabelBench.Core.Agreement;

/// <summary>When two spans count as the same mention.</summary>
public enum SpanMatching
{
    /// <summary>Same start and same end.</summary>
    Strict,

    /// <summary>Any overlap; each span matches at most one other, the pairs with the highest overlap (IoU) first.</summary>
    Overlap,
}
