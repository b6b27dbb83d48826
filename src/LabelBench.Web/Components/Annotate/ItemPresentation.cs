using LabelBench.Core.Annotations;

namespace LabelBench.Web.Components.Annotate;

/// <summary>Who sees which item: seeds the per-annotator order of responses (<see cref="PresentationOrder"/>).</summary>
public sealed record ItemPresentation(string UserId, long ItemId)
{
    public bool PairwiseSwapped => PresentationOrder.IsSwapped(UserId, ItemId);

    public int[] Order(int count) => PresentationOrder.For(UserId, ItemId, count);
}
