using LabelBench.Core.Annotations;

namespace LabelBench.Core.Tests.Annotations;

public class PresentationOrderTests
{
    [Fact]
    public void The_order_is_a_permutation_and_the_same_on_every_visit()
    {
        for (var n = 0; n <= 9; n++)
        {
            var order = PresentationOrder.For("user-1", 42, n);
            Assert.Equal(Enumerable.Range(0, n), order.Order());
            Assert.Equal(order, PresentationOrder.For("user-1", 42, n));
        }
    }

    [Fact]
    public void Pairwise_sides_are_swapped_for_about_half_of_the_items()
    {
        var swapped = Enumerable.Range(1, 1000).Count(i => PresentationOrder.IsSwapped("annotator", i));
        Assert.InRange(swapped, 430, 570);
    }

    [Fact]
    public void Annotators_see_different_orders_of_the_same_item()
    {
        var orders = Enumerable.Range(1, 40).Select(u => string.Join(",", PresentationOrder.For($"user-{u}", 7, 4))).Distinct().Count();
        Assert.True(orders > 5, $"only {orders} distinct orders for 40 annotators");
    }

    [Theory]
    [InlineData("left", false, "A")]
    [InlineData("right", false, "B")]
    [InlineData("left", true, "B")]
    [InlineData("right", true, "A")]
    [InlineData("tie", true, "tie")]
    public void A_choice_by_side_is_stored_in_the_schemas_order(string side, bool swapped, string stored)
    {
        Assert.Equal(stored, PresentationOrder.StoredChoice(side, swapped));
        Assert.Equal(side, PresentationOrder.SideOf(stored, swapped));
    }
}
