using System.Text.RegularExpressions;

namespace LabelBench.Core.Schemas;

/// <summary>The rules a label schema must follow; every broken rule is reported with the field it concerns.</summary>
public static partial class SchemaValidator
{
    public const int MaxRating = 100;

    /// <summary>Keys reserved for the workspace (submit, skip, help, navigation) that a label hotkey may not take.</summary>
    public static readonly IReadOnlySet<string> ReservedHotkeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "enter", "escape", "esc", "tab", "?", "s", " ", "space", "arrowleft", "arrowright", "arrowup", "arrowdown",
    };

    public static IReadOnlyList<ValidationError> Validate(LabelSchema schema, IReadOnlySet<string>? knownDataKeys = null)
    {
        var problems = new List<ValidationError>();
        if (schema.Fields.Count == 0)
        {
            problems.Add(new("fields", "the schema needs at least one field"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var field = schema.Fields[i];
            var path = string.IsNullOrWhiteSpace(field.Name) ? $"fields[{i}]" : $"fields[{i}] \"{field.Name}\"";
            if (string.IsNullOrWhiteSpace(field.Name))
            {
                problems.Add(new(path, "a field needs a \"name\""));
            }
            else if (!FieldName().IsMatch(field.Name))
            {
                problems.Add(new($"{path}.name", "a field name may use letters, digits, '_', '-' and '.', and must start with a letter"));
            }
            else if (!names.Add(field.Name))
            {
                problems.Add(new($"{path}.name", $"duplicate field name \"{field.Name}\""));
            }

            ValidateKind(field, path, problems);
            if (knownDataKeys is not null)
            {
                foreach (var key in new[] { field.Source }.Concat(field.Responses).OfType<string>().Where(k => k.Length > 0))
                {
                    if (!knownDataKeys.Contains(key))
                    {
                        problems.Add(new(path, $"no item has the data key \"{key}\"", IsWarning: true));
                    }
                }
            }
        }

        return problems;
    }

    private static void ValidateKind(SchemaField field, string path, List<ValidationError> problems)
    {
        var kind = field.Kind;
        var needsSource = kind is not (FieldKind.Pairwise or FieldKind.Ranking);
        if (needsSource && string.IsNullOrWhiteSpace(field.Source))
        {
            problems.Add(new($"{path}.source", $"a {kind.ToName()} field must name the item data key it reads in \"source\""));
        }

        if (kind.UsesOptions() || kind.UsesLabels())
        {
            var key = kind.UsesLabels() ? "labels" : "options";
            if (field.Options.Count == 0)
            {
                problems.Add(new($"{path}.{key}", $"a {kind.ToName()} field needs at least one entry in \"{key}\""));
            }

            var values = new HashSet<string>(StringComparer.Ordinal);
            var hotkeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var j = 0; j < field.Options.Count; j++)
            {
                var opt = field.Options[j];
                var optPath = $"{path}.{key}[{j}]";
                if (string.IsNullOrWhiteSpace(opt.Value))
                {
                    problems.Add(new($"{optPath}.value", "must not be empty"));
                }
                else if (!values.Add(opt.Value))
                {
                    problems.Add(new($"{optPath}.value", $"duplicate value \"{opt.Value}\""));
                }

                if (opt.Hotkey is not null)
                {
                    // Reserved first: "Enter" or " " should be told they are reserved, not that they are malformed.
                    if (ReservedHotkeys.Contains(opt.Hotkey))
                    {
                        problems.Add(new($"{optPath}.hotkey", $"\"{opt.Hotkey}\" is reserved by the workspace (Enter: submit, s: skip, ?: shortcuts, Tab, Escape, arrows)"));
                    }
                    else if (opt.Hotkey.Length != 1 || char.IsWhiteSpace(opt.Hotkey[0]))
                    {
                        problems.Add(new($"{optPath}.hotkey", $"a hotkey is a single key (letter, digit or symbol), not \"{opt.Hotkey}\""));
                    }
                    else if (!hotkeys.Add(opt.Hotkey))
                    {
                        problems.Add(new($"{optPath}.hotkey", $"duplicate hotkey \"{opt.Hotkey}\""));
                    }
                }

                if (opt.Color is not null && !Color().IsMatch(opt.Color))
                {
                    problems.Add(new($"{optPath}.color", $"a colour is #rgb or #rrggbb, not \"{opt.Color}\""));
                }
            }
        }
        else if (field.Options.Count > 0)
        {
            problems.Add(new($"{path}.options", $"a {kind.ToName()} field takes no options or labels"));
        }

        if (field.Multiple && kind != FieldKind.Choices)
        {
            problems.Add(new($"{path}.multiple", "only a choices field can be \"multiple\""));
        }

        if (kind == FieldKind.Rating)
        {
            if (field.Max is null)
            {
                problems.Add(new($"{path}.max", "a rating field needs \"max\" (ratings run from 1 to max)"));
            }
            else if (field.Max < 2 || field.Max > MaxRating)
            {
                problems.Add(new($"{path}.max", $"\"max\" must be between 2 and {MaxRating}"));
            }
        }
        else if (field.Max is not null)
        {
            problems.Add(new($"{path}.max", "only a rating field takes \"max\""));
        }

        if (kind == FieldKind.Pairwise && field.Responses.Count != 2)
        {
            problems.Add(new($"{path}.responses", $"a pairwise field needs exactly two responses, not {field.Responses.Count}"));
        }
        else if (kind == FieldKind.Ranking && field.Responses.Count < 2)
        {
            problems.Add(new($"{path}.responses", $"a ranking field needs two or more responses, not {field.Responses.Count}"));
        }
        else if (!kind.UsesResponses() && field.Responses.Count > 0)
        {
            problems.Add(new($"{path}.responses", "only pairwise and ranking fields take \"responses\""));
        }

        if (kind.UsesResponses())
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in field.Responses)
            {
                if (string.IsNullOrWhiteSpace(r))
                {
                    problems.Add(new($"{path}.responses", "a response key must not be empty"));
                }
                else if (!seen.Add(r))
                {
                    problems.Add(new($"{path}.responses", $"the response key \"{r}\" is listed twice"));
                }
            }
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex FieldName();

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex Color();
}
