namespace LabelBench.Core.Import;

/// <summary>The dataset splits an item may belong to.</summary>
public static class DatasetSplits
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";

    public static IReadOnlyList<string> Names { get; } = [Train, Validation, Test];

    public static bool IsValid(string? split) => split is Train or Validation or Test;

    internal static string Problem(string split) => $"\"split\" must be train, validation or test, not \"{split}\"";
}
