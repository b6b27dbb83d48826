namespace LabelBench.Core.Queue;

/// <summary>The order in which the queue hands out open items.</summary>
public enum QueueOrder
{
    /// <summary>Import order.</summary>
    Sequential,

    /// <summary>A random key fixed per item at import, so the order is stable and indexable.</summary>
    Random,

    /// <summary>The most uncertain model prediction first; items without a prediction last, in import order.</summary>
    Uncertainty,
}

/// <summary>Names of <see cref="QueueOrder"/> values as stored and as the API takes them.</summary>
public static class QueueOrders
{
    public static IReadOnlyList<string> Names { get; } = ["sequential", "random", "uncertainty"];

    public static bool TryParse(string? name, out QueueOrder order)
    {
        switch (name)
        {
            case "sequential":
                order = QueueOrder.Sequential;
                return true;
            case "random":
                order = QueueOrder.Random;
                return true;
            case "uncertainty":
                order = QueueOrder.Uncertainty;
                return true;
            default:
                order = QueueOrder.Sequential;
                return false;
        }
    }

    /// <summary>The stored order; an unknown name (never written by the services) falls back to import order.</summary>
    public static QueueOrder Parse(string? name) => TryParse(name, out var order) ? order : QueueOrder.Sequential;

    public static string ToName(this QueueOrder order) => order switch
    {
        QueueOrder.Sequential => "sequential",
        QueueOrder.Random => "random",
        QueueOrder.Uncertainty => "uncertainty",
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown queue order."),
    };
}
