using System.Globalization;
using LabelBench.Core.Schemas;

namespace LabelBench.Web.Components.Annotate;

/// <summary>What a workspace key does to a field.</summary>
public enum KeyAction
{
    /// <summary>Toggle a choice (its option's hotkey).</summary>
    ToggleChoice,

    /// <summary>Label the selected text, or relabel the picked span (the label's hotkey).</summary>
    SpanLabel,

    /// <summary>Pairwise: 1 left is better, 2 right is better, 3 tie.</summary>
    PairwiseSide,

    /// <summary>Pairwise: Shift+1..3, how much better.</summary>
    PairwiseStrength,

    /// <summary>Rating: the digit is the rating.</summary>
    Rating,
}

/// <summary>One key's meaning for one field; <see cref="Value"/> is the option, label or side, <see cref="Number"/> the strength or rating.</summary>
public sealed record KeyBinding(string Key, SchemaField Field, KeyAction Action, string? Value = null, int Number = 0);

/// <summary>
/// The schema's keys in the workspace: every option's and label's hotkey, 1/2/3 and Shift+1..3 for the first pairwise
/// field, digits for the first rating field when nothing else uses them. Keys are lower case; Shift+digit is
/// "shift+N". S, Enter, arrows, Escape, Delete and ? belong to the workspace and are never bound here.
/// </summary>
public sealed class WorkspaceKeymap
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "s", "?", " " };
    private readonly Dictionary<string, List<KeyBinding>> bindings = new(StringComparer.Ordinal);

    private WorkspaceKeymap()
    {
    }

    public IReadOnlyCollection<string> Keys => bindings.Keys;

    public static WorkspaceKeymap For(IEnumerable<SchemaField> fields)
    {
        var map = new WorkspaceKeymap();
        var list = fields.ToList();
        foreach (var field in list)
        {
            if (field.Kind is not (FieldKind.Choices or FieldKind.Spans))
            {
                continue;
            }

            foreach (var option in field.Options.Where(o => o.Hotkey is { Length: 1 }))
            {
                map.Add(new KeyBinding(option.Hotkey!.ToLowerInvariant(), field, field.Kind == FieldKind.Spans ? KeyAction.SpanLabel : KeyAction.ToggleChoice, option.Value));
            }
        }

        if (list.FirstOrDefault(f => f.Kind == FieldKind.Pairwise) is { } pairwise)
        {
            map.Add(new KeyBinding("1", pairwise, KeyAction.PairwiseSide, "left"));
            map.Add(new KeyBinding("2", pairwise, KeyAction.PairwiseSide, "right"));
            map.Add(new KeyBinding("3", pairwise, KeyAction.PairwiseSide, "tie"));
            for (var n = 1; n <= 3; n++)
            {
                map.Add(new KeyBinding($"shift+{n}", pairwise, KeyAction.PairwiseStrength, Number: n));
            }
        }

        if (list.FirstOrDefault(f => f.Kind == FieldKind.Rating) is { } rating)
        {
            for (var n = 1; n <= Math.Min(rating.Max ?? 5, 9); n++)
            {
                var key = n.ToString(CultureInfo.InvariantCulture);
                if (!map.bindings.ContainsKey(key))
                {
                    map.Add(new KeyBinding(key, rating, KeyAction.Rating, Number: n));
                }
            }
        }

        return map;
    }

    /// <summary>What <paramref name="key"/> means, span labels first (they act only while text is selected or a span picked).</summary>
    public IReadOnlyList<KeyBinding> Find(string key) =>
        bindings.TryGetValue(key.ToLowerInvariant(), out var found) ? found.OrderBy(b => b.Action == KeyAction.SpanLabel ? 0 : 1).ToList() : [];

    private void Add(KeyBinding binding)
    {
        if (Reserved.Contains(binding.Key))
        {
            return;
        }

        if (!bindings.TryGetValue(binding.Key, out var list))
        {
            bindings[binding.Key] = list = [];
        }

        list.Add(binding);
    }
}
