using LabelBench.Core.Queue;

namespace LabelBench.Core.Tests.Queue;

public class QueueOrderTests
{
    [Theory]
    [InlineData("sequential", QueueOrder.Sequential)]
    [InlineData("random", QueueOrder.Random)]
    [InlineData("uncertainty", QueueOrder.Uncertainty)]
    public void Stored_names_round_trip(string name, QueueOrder order)
    {
        Assert.True(QueueOrders.TryParse(name, out var parsed));
        Assert.Equal(order, parsed);
        Assert.Equal(name, order.ToName());
    }

    [Fact]
    public void An_unknown_name_falls_back_to_import_order()
    {
        Assert.False(QueueOrders.TryParse("Random", out _));
        Assert.Equal(QueueOrder.Sequential, QueueOrders.Parse(null));
    }
}
