using System.Globalization;
using System.Runtime.InteropServices;

namespace LabelBench.Core.Agreement;

/// <summary>Collects judgements one at a time (interning ids as they come) and builds an immutable <see cref="JudgementSet"/>.</summary>
public sealed class JudgementSetBuilder
{
    private const int Missing = -1;

    private readonly Dictionary<string, int> itemIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> annotatorIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> labelIds = new(StringComparer.Ordinal);
    private readonly List<string> itemNames = [];
    private readonly List<string> annotatorNames = [];
    private readonly List<string> labelNames = [];
    private readonly List<int> judgementItems = [];
    private readonly List<int> judgementAnnotators = [];
    private readonly List<int> judgementLabels = [];

    // One judgement per annotator and item: a second one would count the same person twice.
    private readonly HashSet<long> itemAnnotatorPairs = [];

    /// <summary>Judgements added so far, missing ones included.</summary>
    public int Count => judgementItems.Count;

    public JudgementSetBuilder Add(Judgement judgement) => Add(judgement.Item, judgement.Annotator, judgement.Label);

    /// <summary>Adds a judgement; a null, empty or blank <paramref name="label"/> is a missing judgement.</summary>
    /// <exception cref="AgreementException">The item or annotator id is empty, or the annotator already judged the item.</exception>
    public JudgementSetBuilder Add(string item, string annotator, string? label)
    {
        if (string.IsNullOrWhiteSpace(item))
        {
            throw new AgreementException("a judgement needs a non-empty item id");
        }

        if (string.IsNullOrWhiteSpace(annotator))
        {
            throw new AgreementException($"the judgement of item '{item}' needs a non-empty annotator id");
        }

        var itemId = Intern(itemIds, itemNames, item);
        var annotatorId = Intern(annotatorIds, annotatorNames, annotator);
        if (!itemAnnotatorPairs.Add(((long)itemId << 32) | (uint)annotatorId))
        {
            throw new AgreementException(
                $"annotator '{annotator}' judged item '{item}' more than once; keep one judgement per annotator and item");
        }

        judgementItems.Add(itemId);
        judgementAnnotators.Add(annotatorId);
        judgementLabels.Add(string.IsNullOrWhiteSpace(label) ? Missing : Intern(labelIds, labelNames, label));
        return this;
    }

    /// <summary>
    /// Builds the set. <paramref name="labelOrder"/>, when given, fixes the label order (e.g. a rating scale's option order)
    /// and must contain every label used; else labels sort numerically when all are numbers, otherwise ordinally.
    /// </summary>
    public JudgementSet Build(IEnumerable<string>? labelOrder = null)
    {
        var (labels, rankOfRaw) = OrderLabels(labelOrder);
        var values = NumericValues(labels, out var nonNumericLabel);

        var items = CollectionsMarshal.AsSpan(judgementItems);
        var annotators = CollectionsMarshal.AsSpan(judgementAnnotators);
        var rawLabels = CollectionsMarshal.AsSpan(judgementLabels);

        // Two stable counting sorts (annotator, then item) group judgements by item with annotators ascending, in O(n).
        var annotatorStart = new int[annotatorNames.Count + 1];
        var itemOffsets = new int[itemNames.Count + 1];
        var present = 0;
        for (var j = 0; j < items.Length; j++)
        {
            if (rawLabels[j] != Missing)
            {
                annotatorStart[annotators[j] + 1]++;
                itemOffsets[items[j] + 1]++;
                present++;
            }
        }

        for (var a = 0; a < annotatorNames.Count; a++)
        {
            annotatorStart[a + 1] += annotatorStart[a];
        }

        for (var u = 0; u < itemNames.Count; u++)
        {
            itemOffsets[u + 1] += itemOffsets[u];
        }

        var byAnnotator = new int[present];
        for (var j = 0; j < items.Length; j++)
        {
            if (rawLabels[j] != Missing)
            {
                byAnnotator[annotatorStart[annotators[j]]++] = j;
            }
        }

        var next = itemOffsets[..^1];
        var sortedAnnotators = new int[present];
        var sortedLabels = new int[present];
        foreach (var j in byAnnotator)
        {
            var position = next[items[j]]++;
            sortedAnnotators[position] = annotators[j];
            sortedLabels[position] = rankOfRaw[rawLabels[j]];
        }

        return new JudgementSet(
            [.. itemNames],
            [.. annotatorNames],
            labels,
            values,
            nonNumericLabel,
            labelOrder is not null,
            itemOffsets,
            sortedAnnotators,
            sortedLabels,
            items.Length - present);
    }

    private (string[] Labels, int[] RankOfRaw) OrderLabels(IEnumerable<string>? labelOrder)
    {
        var rankOfRaw = new int[labelNames.Count];
        if (labelOrder is not null)
        {
            var ordered = labelOrder.ToArray();
            var position = new Dictionary<string, int>(ordered.Length, StringComparer.Ordinal);
            for (var i = 0; i < ordered.Length; i++)
            {
                if (!position.TryAdd(ordered[i], i))
                {
                    throw new AgreementException($"the label order lists '{ordered[i]}' twice");
                }
            }

            for (var raw = 0; raw < labelNames.Count; raw++)
            {
                if (!position.TryGetValue(labelNames[raw], out rankOfRaw[raw]))
                {
                    throw new AgreementException(
                        $"label '{labelNames[raw]}' is used but not in the label order ({string.Join(", ", ordered)})");
                }
            }

            return (ordered, rankOfRaw);
        }

        var rawOrder = Enumerable.Range(0, labelNames.Count).ToArray();
        var rawValues = NumericValues(labelNames, out var nonNumeric);
        if (rawValues is not null && nonNumeric is null)
        {
            // Numbers sort by value ("2" before "10"); equal values written differently ("1", "1.0") stay apart, ordinally.
            Array.Sort(rawOrder, (x, y) =>
            {
                var byValue = rawValues[x].CompareTo(rawValues[y]);
                return byValue != 0 ? byValue : string.CompareOrdinal(labelNames[x], labelNames[y]);
            });
        }
        else
        {
            Array.Sort(rawOrder, (x, y) => string.CompareOrdinal(labelNames[x], labelNames[y]));
        }

        var labels = new string[labelNames.Count];
        for (var rank = 0; rank < rawOrder.Length; rank++)
        {
            labels[rank] = labelNames[rawOrder[rank]];
            rankOfRaw[rawOrder[rank]] = rank;
        }

        return (labels, rankOfRaw);
    }

    private static double[]? NumericValues(IReadOnlyList<string> labels, out string? nonNumericLabel)
    {
        var values = new double[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!double.TryParse(labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                nonNumericLabel = labels[i];
                return null;
            }
        }

        nonNumericLabel = null;
        return values;
    }

    private static int Intern(Dictionary<string, int> ids, List<string> names, string name)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, name, out var exists);
        if (!exists)
        {
            id = names.Count;
            names.Add(name);
        }

        return id;
    }
}
