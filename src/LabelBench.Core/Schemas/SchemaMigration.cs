using System.Text.Json.Nodes;

namespace LabelBench.Core.Schemas;

/// <summary>An explicit change a lead asks for, so that existing annotations follow a schema change instead of being orphaned.</summary>
public abstract record SchemaMigration(string Field)
{
    /// <summary>The migration as the JSON of the REST API and the audit trail.</summary>
    public abstract JsonObject ToJson();

    /// <summary>One line for people: what the migration does.</summary>
    public abstract string Describe();
}

/// <summary>Every use of label <paramref name="From"/> in <paramref name="Field"/> becomes <paramref name="To"/>, a label the old schema did not have.</summary>
public sealed record RenameLabel(string Field, string From, string To) : SchemaMigration(Field)
{
    public override JsonObject ToJson() => new() { ["kind"] = "rename", ["field"] = Field, ["from"] = From, ["to"] = To };

    public override string Describe() => $"rename \"{From}\" to \"{To}\" in \"{Field}\"";
}

/// <summary>Every use of the labels <paramref name="From"/> in <paramref name="Field"/> becomes <paramref name="Into"/>.</summary>
public sealed record MergeLabels(string Field, IReadOnlyList<string> From, string Into) : SchemaMigration(Field)
{
    public override JsonObject ToJson() => new()
    {
        ["kind"] = "merge",
        ["field"] = Field,
        ["from"] = new JsonArray(From.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
        ["into"] = Into,
    };

    public override string Describe() => $"merge {string.Join(", ", From.Select(f => $"\"{f}\""))} into \"{Into}\" in \"{Field}\"";

    public bool Equals(MergeLabels? other) =>
        other is not null && Field == other.Field && Into == other.Into && From.SequenceEqual(other.From, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Field, Into, From.Count);
}

/// <summary>The values of <paramref name="Field"/> are discarded (a field removed, or its kind changed).</summary>
public sealed record ClearField(string Field) : SchemaMigration(Field)
{
    public override JsonObject ToJson() => new() { ["kind"] = "clear", ["field"] = Field };

    public override string Describe() => $"discard the values of \"{Field}\"";
}

/// <summary>Reads migrations from JSON: <c>[{"kind": "rename", "field", "from", "to"}, {"kind": "merge", "field", "from": [...], "into"}, {"kind": "clear", "field"}]</c>.</summary>
public static class SchemaMigrationJson
{
    public static ValidationResult<IReadOnlyList<SchemaMigration>> Parse(JsonNode? node)
    {
        var problems = new List<ValidationError>();
        var migrations = new List<SchemaMigration>();
        if (node is null)
        {
            return new(migrations, problems);
        }

        if (node is not JsonArray array)
        {
            problems.Add(new("migrations", "must be an array of migrations"));
            return new(null, problems);
        }

        for (var i = 0; i < array.Count; i++)
        {
            var path = $"migrations[{i}]";
            if (array[i] is not JsonObject o)
            {
                problems.Add(new(path, "must be an object with \"kind\" and \"field\""));
                continue;
            }

            var kind = Text(o, "kind");
            var field = Text(o, "field");
            if (string.IsNullOrWhiteSpace(field))
            {
                problems.Add(new($"{path}.field", "names the schema field the migration applies to"));
                continue;
            }

            switch (kind)
            {
                case "rename":
                    var from = Text(o, "from");
                    var to = Text(o, "to");
                    if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(to))
                    {
                        problems.Add(new(path, "a rename needs \"from\" and \"to\" labels"));
                    }
                    else
                    {
                        migrations.Add(new RenameLabel(field, from, to));
                    }

                    break;
                case "merge":
                    var into = Text(o, "into");
                    var sources = o["from"] is JsonArray fa ? fa.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList() : null;
                    if (string.IsNullOrEmpty(into) || sources is null || sources.Count == 0 || sources.Any(string.IsNullOrEmpty))
                    {
                        problems.Add(new(path, "a merge needs \"from\" (a list of labels) and \"into\" (one label)"));
                    }
                    else
                    {
                        migrations.Add(new MergeLabels(field, sources!, into));
                    }

                    break;
                case "clear":
                    migrations.Add(new ClearField(field));
                    break;
                default:
                    problems.Add(new($"{path}.kind", $"unknown migration \"{kind}\"; expected rename, merge or clear"));
                    break;
            }
        }

        return new(problems.Count == 0 ? migrations : null, problems);
    }

    public static JsonArray ToJson(IEnumerable<SchemaMigration> migrations) => new(migrations.Select(m => (JsonNode?)m.ToJson()).ToArray());

    private static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
