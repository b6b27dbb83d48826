namespace LabelBench.Core.Import;

/// <summary>The external ids seen so far in one file, to refuse a repeated id at its second occurrence.</summary>
internal sealed class ExternalIdSet
{
    private readonly Dictionary<string, int> firstLines = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="id"/>; returns the error when it was already seen, else null.</summary>
    public string? Add(string id, int line) =>
        firstLines.TryAdd(id, line) ? null : $"duplicate id \"{id}\" (first on line {firstLines[id]})";
}
