using System.Globalization;
using System.Text.Json.Nodes;

namespace LabelBench.Core.Schemas;

/// <summary>How a schema change can orphan existing annotations.</summary>
public enum SchemaImpactKind
{
    /// <summary>A field that annotations fill was removed.</summary>
    FieldRemoved,

    /// <summary>A field kept its name but changed its kind.</summary>
    KindChanged,

    /// <summary>An option or label that annotations use was removed.</summary>
    LabelRemoved,

    /// <summary>A choices field stopped being <c>multiple</c>: its lists no longer fit.</summary>
    MultipleTurnedOff,

    /// <summary>A rating's <c>max</c> went below values annotators gave.</summary>
    RatingMaxLowered,

    /// <summary>A ranking field now ranks a different number of responses.</summary>
    ResponsesChanged,
}

/// <summary>One change of a schema that would leave annotations invalid, with how many it concerns.</summary>
/// <param name="Label">The removed label (or the rating value above the new max), for label-level impacts.</param>
/// <param name="Resolved">True when a migration given with the change carries these annotations over.</param>
public sealed record SchemaImpact(SchemaImpactKind Kind, string Field, string? Label, int Annotations, bool Resolved = false)
{
    public string Describe() => Kind switch
    {
        SchemaImpactKind.FieldRemoved => $"field \"{Field}\" is removed but {Count("fills", "fill")} it",
        SchemaImpactKind.KindChanged => $"field \"{Field}\" changes its kind but {Count("fills", "fill")} it",
        SchemaImpactKind.LabelRemoved => $"label \"{Label}\" is removed from \"{Field}\" but {Count("uses", "use")} it",
        SchemaImpactKind.MultipleTurnedOff => $"field \"{Field}\" no longer takes several choices but {Count("fills", "fill")} it",
        SchemaImpactKind.RatingMaxLowered => $"rating {Label} is above the new maximum of \"{Field}\" but {Count("gives", "give")} it",
        SchemaImpactKind.ResponsesChanged => $"field \"{Field}\" ranks a different number of responses but {Count("fills", "fill")} it",
        _ => $"field \"{Field}\" changes",
    };

    private string Count(string one, string many) =>
        Annotations == 1 ? $"1 annotation {one}" : $"{Annotations.ToString(CultureInfo.InvariantCulture)} annotations {many}";
}

/// <summary>What a schema change does to existing annotations, after the migrations given with it.</summary>
public sealed record SchemaChangeReport(IReadOnlyList<SchemaImpact> Impacts, IReadOnlyList<ValidationError> MigrationErrors)
{
    public IEnumerable<SchemaImpact> Unresolved => Impacts.Where(i => !i.Resolved);

    /// <summary>True when the change can be saved: every migration is sound and no annotation is left orphaned.</summary>
    public bool CanApply => MigrationErrors.Count == 0 && !Unresolved.Any();

    /// <summary>The refusal message, naming each orphaning change; <paramref name="affected"/> is the number of distinct annotations.</summary>
    public string DescribeRefusal(int affected)
    {
        var what = affected == 1 ? "1 annotation" : $"{affected.ToString(CultureInfo.InvariantCulture)} annotations";
        return $"the new schema would orphan {what}: {string.Join("; ", Unresolved.Select(i => i.Describe()))}. "
            + "Save it with an explicit migration (rename or merge the label, or discard the field's values), or keep what annotations use.";
    }
}

/// <summary>
/// Compares two versions of a schema against how annotations use the old one: which changes would orphan
/// annotations, whether the lead's migrations carry them over, and what the migrations do to a result.
/// </summary>
public static class SchemaChange
{
    /// <summary>Every change from <paramref name="old"/> to <paramref name="new"/> that could orphan annotations (counts are 0).</summary>
    public static IReadOnlyList<SchemaImpact> Compare(LabelSchema old, LabelSchema @new)
    {
        var impacts = new List<SchemaImpact>();
        foreach (var before in old.Fields)
        {
            var after = @new.FindField(before.Name);
            if (after is null)
            {
                impacts.Add(new(SchemaImpactKind.FieldRemoved, before.Name, null, 0));
                continue;
            }

            if (after.Kind != before.Kind)
            {
                impacts.Add(new(SchemaImpactKind.KindChanged, before.Name, null, 0));
                continue;
            }

            if (before.Kind.UsesOptions() || before.Kind.UsesLabels())
            {
                foreach (var option in before.Options.Where(o => after.FindOption(o.Value) is null))
                {
                    impacts.Add(new(SchemaImpactKind.LabelRemoved, before.Name, option.Value, 0));
                }
            }

            if (before.Kind == FieldKind.Choices && before.Multiple && !after.Multiple)
            {
                impacts.Add(new(SchemaImpactKind.MultipleTurnedOff, before.Name, null, 0));
            }

            if (before.Kind == FieldKind.Rating && after.Max is { } newMax && (before.Max ?? int.MaxValue) > newMax)
            {
                for (var value = newMax + 1; value <= (before.Max ?? newMax); value++)
                {
                    impacts.Add(new(SchemaImpactKind.RatingMaxLowered, before.Name, value.ToString(CultureInfo.InvariantCulture), 0));
                }
            }

            if (before.Kind == FieldKind.Ranking && before.Responses.Count != after.Responses.Count)
            {
                impacts.Add(new(SchemaImpactKind.ResponsesChanged, before.Name, null, 0));
            }
        }

        return impacts;
    }

    /// <summary>
    /// The changes that would orphan annotations, counted from <paramref name="usage"/> (only those in use are
    /// reported), each marked resolved when one of <paramref name="migrations"/> carries its annotations over.
    /// </summary>
    public static SchemaChangeReport Analyze(LabelSchema old, LabelSchema @new, LabelUsage usage, IReadOnlyList<SchemaMigration>? migrations = null)
    {
        migrations ??= [];
        var impacts = Compare(old, @new)
            .Select(i => i with { Annotations = i.Label is null ? usage.FieldCount(i.Field) : usage.LabelCount(i.Field, i.Label) })
            .Where(i => i.Annotations > 0)
            .Select(i => i with { Resolved = migrations.Any(m => Resolves(m, i)) })
            .ToList();
        return new SchemaChangeReport(impacts, ValidateMigrations(old, @new, migrations));
    }

    /// <summary>Checks each migration against both schemas; errors name the migration (<c>migrations[0]</c>) and the rule.</summary>
    public static IReadOnlyList<ValidationError> ValidateMigrations(LabelSchema old, LabelSchema @new, IReadOnlyList<SchemaMigration> migrations)
    {
        var problems = new List<ValidationError>();
        var mapped = new HashSet<(string Field, string Label)>();
        var cleared = migrations.OfType<ClearField>().Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < migrations.Count; i++)
        {
            var migration = migrations[i];
            var path = $"migrations[{i}]";
            var before = old.FindField(migration.Field);
            if (before is null)
            {
                problems.Add(new($"{path}.field", $"the current schema has no field \"{migration.Field}\""));
                continue;
            }

            if (migration is ClearField)
            {
                continue;
            }

            if (cleared.Contains(migration.Field))
            {
                problems.Add(new(path, $"the values of \"{migration.Field}\" are discarded by another migration; a rename or merge there has nothing to do"));
                continue;
            }

            if (!(before.Kind.UsesOptions() || before.Kind.UsesLabels()))
            {
                problems.Add(new(path, $"\"{migration.Field}\" is a {before.Kind.ToName()} field; only options and labels can be renamed or merged"));
                continue;
            }

            var after = @new.FindField(migration.Field);
            if (after is null || after.Kind != before.Kind)
            {
                problems.Add(new(path, $"the new schema has no {before.Kind.ToName()} field \"{migration.Field}\" to carry the labels into"));
                continue;
            }

            var (sources, target) = migration switch
            {
                RenameLabel r => ((IReadOnlyList<string>)[r.From], r.To),
                MergeLabels m => (m.From, m.Into),
                _ => throw new ArgumentOutOfRangeException(nameof(migrations), migration, "unknown migration"),
            };
            foreach (var source in sources)
            {
                if (before.FindOption(source) is null)
                {
                    problems.Add(new($"{path}.from", $"\"{migration.Field}\" has no label \"{source}\" to move"));
                }
                else if (!mapped.Add((migration.Field, source)))
                {
                    problems.Add(new($"{path}.from", $"label \"{source}\" of \"{migration.Field}\" is moved by two migrations"));
                }
            }

            if (after.FindOption(target) is null)
            {
                problems.Add(new(path, $"the new schema's \"{migration.Field}\" has no label \"{target}\""));
            }

            switch (migration)
            {
                case RenameLabel when before.FindOption(target) is not null:
                    problems.Add(new($"{path}.to", $"\"{target}\" is already a label of \"{migration.Field}\"; merge into it instead of renaming"));
                    break;
                case MergeLabels merge when merge.From.Contains(target, StringComparer.Ordinal):
                    problems.Add(new($"{path}.into", $"\"{target}\" cannot be merged into itself"));
                    break;
            }
        }

        return problems;
    }

    /// <summary>
    /// Applies the migrations to one annotation result made under <paramref name="old"/>. Returns the migrated copy,
    /// or null when the result does not change. Choices keep their order and drop duplicates a merge creates.
    /// </summary>
    public static JsonObject? Apply(JsonObject result, IReadOnlyList<SchemaMigration> migrations, LabelSchema old)
    {
        JsonObject? next = null;
        foreach (var group in migrations.GroupBy(m => m.Field, StringComparer.Ordinal))
        {
            var current = next ?? result;
            if (current[group.Key] is not { } value)
            {
                continue;
            }

            if (group.Any(m => m is ClearField))
            {
                next ??= (JsonObject)result.DeepClone();
                next.Remove(group.Key);
                continue;
            }

            var field = old.FindField(group.Key);
            if (field is null)
            {
                continue;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var migration in group)
            {
                switch (migration)
                {
                    case RenameLabel r:
                        map[r.From] = r.To;
                        break;
                    case MergeLabels m:
                        foreach (var from in m.From)
                        {
                            map[from] = m.Into;
                        }

                        break;
                }
            }

            var migrated = Relabel(field, value, map);
            if (migrated is not null)
            {
                next ??= (JsonObject)result.DeepClone();
                next[group.Key] = migrated;
            }
        }

        return next;
    }

    /// <summary>Whether the result is one of the annotations <paramref name="impact"/> counts.</summary>
    public static bool Hits(SchemaImpact impact, JsonObject result, LabelSchema old)
    {
        var field = old.FindField(impact.Field);
        var value = result[impact.Field];
        if (field is null || !LabelUsageCounter.HasValue(value))
        {
            return false;
        }

        return impact.Label is null || LabelUsageCounter.LabelsOf(field, value).Contains(impact.Label);
    }

    private static bool Resolves(SchemaMigration migration, SchemaImpact impact) =>
        migration.Field == impact.Field && migration switch
        {
            ClearField => true,
            RenameLabel r => impact.Kind == SchemaImpactKind.LabelRemoved && r.From == impact.Label,
            MergeLabels m => impact.Kind == SchemaImpactKind.LabelRemoved && m.From.Contains(impact.Label!, StringComparer.Ordinal),
            _ => false,
        };

    /// <summary>The value with labels mapped, or null when nothing in it is mapped.</summary>
    private static JsonNode? Relabel(SchemaField field, JsonNode value, Dictionary<string, string> map)
    {
        if (field.Kind == FieldKind.Choices)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var one))
            {
                return map.TryGetValue(one, out var to) ? JsonValue.Create(to) : null;
            }

            if (value is JsonArray chosen)
            {
                var values = chosen.Select(c => c is JsonValue cv && cv.TryGetValue<string>(out var s) ? s : null).ToList();
                if (!values.Any(s => s is not null && map.ContainsKey(s)))
                {
                    return null;
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                var result = new JsonArray();
                foreach (var s in values.OfType<string>().Select(s => map.GetValueOrDefault(s, s)))
                {
                    if (seen.Add(s))
                    {
                        result.Add(JsonValue.Create(s));
                    }
                }

                return result;
            }

            return null;
        }

        if (value is not JsonArray regions)
        {
            return null;
        }

        var changed = false;
        var copy = (JsonArray)regions.DeepClone();
        foreach (var region in copy.OfType<JsonObject>())
        {
            if (region["label"] is JsonValue lv && lv.TryGetValue<string>(out var label) && map.TryGetValue(label, out var to))
            {
                region["label"] = to;
                changed = true;
            }
        }

        return changed ? copy : null;
    }
}
