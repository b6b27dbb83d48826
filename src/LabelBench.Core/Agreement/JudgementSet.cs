using System.Collections.ObjectModel;

namespace LabelBench.Core.Agreement;

/// <summary>
/// Judgements with items, annotators and labels interned to ints, grouped by item and sorted by annotator within
/// an item, so that every metric runs over flat int arrays. Labels are indexed in label order: numeric order when
/// every label is a number (invariant culture), else ordinal string order, unless an explicit order was given.
/// Build one with <see cref="JudgementSetBuilder"/> or <see cref="From"/>; missing judgements are counted but not stored.
/// </summary>
public sealed class JudgementSet
{
    private readonly string[] items;
    private readonly string[] annotators;
    private readonly string[] labels;
    private readonly double[]? labelValues;
    private readonly int[] judgementsByAnnotator;
    private readonly Dictionary<string, int> labelIndex;

    internal JudgementSet(
        string[] items,
        string[] annotators,
        string[] labels,
        double[]? labelValues,
        string? nonNumericLabel,
        bool hasExplicitLabelOrder,
        int[] offsets,
        int[] judgementAnnotators,
        int[] judgementLabels,
        int missingCount,
        Dictionary<string, int>? labelIndex = null)
    {
        this.items = items;
        this.annotators = annotators;
        this.labels = labels;
        this.labelValues = labelValues;
        NonNumericLabel = nonNumericLabel;
        HasExplicitLabelOrder = hasExplicitLabelOrder;
        Offsets = offsets;
        JudgementAnnotators = judgementAnnotators;
        JudgementLabels = judgementLabels;
        MissingCount = missingCount;
        Items = Array.AsReadOnly(items);
        Annotators = Array.AsReadOnly(annotators);
        Labels = Array.AsReadOnly(labels);
        LabelValues = labelValues is null ? null : Array.AsReadOnly(labelValues);

        judgementsByAnnotator = new int[annotators.Length];
        foreach (var annotator in judgementAnnotators)
        {
            judgementsByAnnotator[annotator]++;
        }

        // A set selected from another shares its labels, so it shares the index too.
        if (labelIndex is null)
        {
            labelIndex = new Dictionary<string, int>(labels.Length, StringComparer.Ordinal);
            for (var i = 0; i < labels.Length; i++)
            {
                labelIndex[labels[i]] = i;
            }
        }

        this.labelIndex = labelIndex;
    }

    /// <summary>Item <c>u</c>'s judgements are the positions <c>Offsets[u]</c> to <c>Offsets[u + 1] - 1</c>.</summary>
    internal int[] Offsets { get; }

    internal int[] JudgementAnnotators { get; }

    /// <summary>Label index per judgement, in label order.</summary>
    internal int[] JudgementLabels { get; }

    /// <summary>The first label, in label order, that is not a number; null when every label is.</summary>
    internal string? NonNumericLabel { get; }

    public int ItemCount => items.Length;

    public int AnnotatorCount => annotators.Length;

    public int LabelCount => labels.Length;

    /// <summary>Non-missing judgements.</summary>
    public int JudgementCount => JudgementLabels.Length;

    /// <summary>Judgements whose label was empty; their annotators and items are known, their labels are not.</summary>
    public int MissingCount { get; }

    /// <summary>Item ids by index. In a set made by <see cref="SelectItems"/> an id can repeat.</summary>
    public IReadOnlyList<string> Items { get; }

    /// <summary>Annotator ids by index, in order of first appearance.</summary>
    public IReadOnlyList<string> Annotators { get; }

    /// <summary>Labels in label order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The number each label stands for, when every label is a number; else null.</summary>
    public IReadOnlyList<double>? LabelValues { get; }

    public bool IsNumeric => labelValues is not null;

    /// <summary>True when the label order was given by the caller (e.g. a schema's option order) rather than derived.</summary>
    public bool HasExplicitLabelOrder { get; }

    /// <summary>Builds a set from judgements; <paramref name="labelOrder"/>, when given, fixes the label order and must list every label used.</summary>
    public static JudgementSet From(IEnumerable<Judgement> judgements, IEnumerable<string>? labelOrder = null)
    {
        var builder = new JudgementSetBuilder();
        foreach (var judgement in judgements)
        {
            builder.Add(judgement);
        }

        return builder.Build(labelOrder);
    }

    /// <summary>Number of non-missing judgements on item <paramref name="item"/>.</summary>
    public int JudgementsOn(int item) => Offsets[item + 1] - Offsets[item];

    /// <summary>Number of non-missing judgements by annotator <paramref name="annotator"/>.</summary>
    public int JudgementsBy(int annotator) => judgementsByAnnotator[annotator];

    /// <summary>The annotators who judged item <paramref name="item"/>, ascending; parallel to <see cref="LabelsOf"/>.</summary>
    public ReadOnlySpan<int> AnnotatorsOf(int item) => JudgementAnnotators.AsSpan(Offsets[item], JudgementsOn(item));

    /// <summary>The labels given to item <paramref name="item"/>; parallel to <see cref="AnnotatorsOf"/>.</summary>
    public ReadOnlySpan<int> LabelsOf(int item) => JudgementLabels.AsSpan(Offsets[item], JudgementsOn(item));

    /// <summary>The index of a label, or -1 when no judgement uses it.</summary>
    public int IndexOfLabel(string label) => labelIndex.TryGetValue(label, out var index) ? index : -1;

    /// <summary>The number label <paramref name="label"/> stands for.</summary>
    /// <exception cref="InvalidOperationException">Some label is not a number.</exception>
    public double LabelValue(int label) =>
        labelValues is null
            ? throw new InvalidOperationException($"label '{NonNumericLabel}' is not a number")
            : labelValues[label];

    /// <summary>
    /// A set made of the given items in the given order, sharing this set's annotators and labels (and label order).
    /// An item listed twice becomes two items, as a bootstrap resample needs.
    /// </summary>
    public JudgementSet SelectItems(ReadOnlySpan<int> itemIndexes)
    {
        var offsets = new int[itemIndexes.Length + 1];
        for (var i = 0; i < itemIndexes.Length; i++)
        {
            offsets[i + 1] = offsets[i] + JudgementsOn(itemIndexes[i]);
        }

        var selectedAnnotators = new int[offsets[^1]];
        var selectedLabels = new int[offsets[^1]];
        var names = new string[itemIndexes.Length];
        for (var i = 0; i < itemIndexes.Length; i++)
        {
            var item = itemIndexes[i];
            names[i] = items[item];
            AnnotatorsOf(item).CopyTo(selectedAnnotators.AsSpan(offsets[i]));
            LabelsOf(item).CopyTo(selectedLabels.AsSpan(offsets[i]));
        }

        return new JudgementSet(
            names, annotators, labels, labelValues, NonNumericLabel, HasExplicitLabelOrder, offsets, selectedAnnotators, selectedLabels, missingCount: 0, labelIndex);
    }

    /// <summary>Annotators with at least one judgement, ascending.</summary>
    internal List<int> ActiveAnnotators()
    {
        var active = new List<int>();
        for (var a = 0; a < judgementsByAnnotator.Length; a++)
        {
            if (judgementsByAnnotator[a] > 0)
            {
                active.Add(a);
            }
        }

        return active;
    }

    /// <summary>Distinct annotators among the judgements on items with at least <paramref name="minimumJudgements"/> judgements.</summary>
    internal int CountAnnotatorsOnItemsWith(int minimumJudgements)
    {
        var seen = new bool[annotators.Length];
        var count = 0;
        for (var u = 0; u < items.Length; u++)
        {
            if (JudgementsOn(u) < minimumJudgements)
            {
                continue;
            }

            foreach (var a in AnnotatorsOf(u))
            {
                if (!seen[a])
                {
                    seen[a] = true;
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Names of a few annotators for messages, e.g. <c>'ann', 'bob', 'cy' and 2 more</c>.</summary>
    internal string NameAnnotators(IReadOnlyList<int> indexes, int shown = 5)
    {
        var names = string.Join(", ", indexes.Take(shown).Select(a => $"'{annotators[a]}'"));
        return indexes.Count > shown ? $"{names} and {indexes.Count - shown} more" : names;
    }
}
