namespace LabelBench.Core.Agreement;

/// <summary>Settings of the Dawid–Skene EM: at most <paramref name="MaxIterations"/> rounds, stop when no posterior moves by <paramref name="Tolerance"/> or more, and add <paramref name="Smoothing"/> pseudo-counts to every confusion cell and class prior.</summary>
public sealed record DawidSkeneOptions(int MaxIterations = 100, double Tolerance = 1e-6, double Smoothing = 0.01)
{
    public static DawidSkeneOptions Default { get; } = new();
}
