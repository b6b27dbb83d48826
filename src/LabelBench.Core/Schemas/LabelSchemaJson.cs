using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabelBench.Core.Schemas;

/// <summary>Reads and writes label schemas as the JSON of CONTRACT.md, reporting every problem by path.</summary>
public static class LabelSchemaJson
{
    private static readonly HashSet<string> KnownFieldKeys =
        ["name", "kind", "source", "required", "description", "options", "labels", "multiple", "max", "responses"];

    private static readonly HashSet<string> KnownOptionKeys = ["value", "color", "hotkey"];

    // Duplicate keys must be a parse error: JsonObject would otherwise throw ArgumentException on first access.
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowDuplicateProperties = false,
    };

    /// <param name="validate">
    /// False reads the structure only (the designer shows a schema that breaks rules, such as an empty option list,
    /// while the lead fixes it); the value is then null only when the JSON cannot be read as a schema at all.
    /// </param>
    public static ValidationResult<LabelSchema> Parse(string json, bool validate = true)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1})" : string.Empty;
            return Fail($"the schema is not valid JSON{where}: {FirstSentence(ex.Message)}");
        }

        return Parse(root, validate);
    }

    public static ValidationResult<LabelSchema> Parse(JsonNode? root, bool validate = true)
    {
        if (root is not JsonObject obj)
        {
            return Fail("the schema must be a JSON object with a \"fields\" array");
        }

        if (obj["fields"] is not JsonArray fieldsArray)
        {
            return Fail("the schema must have a \"fields\" array");
        }

        var problems = new List<ValidationError>();
        foreach (var key in obj.Select(p => p.Key).Where(k => k != "fields"))
        {
            problems.Add(new($"schema.{key}", $"unknown property \"{key}\"; a schema has only \"fields\""));
        }

        var fields = new List<SchemaField>();
        for (var i = 0; i < fieldsArray.Count; i++)
        {
            var path = $"fields[{i}]";
            if (fieldsArray[i] is not JsonObject f)
            {
                problems.Add(new(path, "each field must be a JSON object"));
                continue;
            }

            var field = ParseField(f, path, problems);
            if (field is not null)
            {
                fields.Add(field);
            }
        }

        var schema = new LabelSchema(fields);
        if (problems.Count == 0 && validate)
        {
            problems.AddRange(SchemaValidator.Validate(schema));
        }

        return new(problems.Any(p => !p.IsWarning) ? null : schema, problems);
    }

    private static SchemaField? ParseField(JsonObject f, string path, List<ValidationError> problems)
    {
        var name = ReadString(f, "name", path, problems);
        var label = string.IsNullOrWhiteSpace(name) ? path : $"{path} \"{name}\"";
        foreach (var key in f.Select(p => p.Key).Where(k => !KnownFieldKeys.Contains(k)))
        {
            problems.Add(new($"{label}.{key}", $"unknown property \"{key}\""));
        }

        var kindName = ReadString(f, "kind", label, problems);
        if (kindName is null)
        {
            if (f["kind"] is null)
            {
                problems.Add(new($"{label}.kind", $"\"kind\" is required; expected one of {string.Join(", ", FieldKinds.Names)}"));
            }

            return null;
        }

        if (!FieldKinds.TryParse(kindName, out var kind))
        {
            problems.Add(new($"{label}.kind", $"unknown kind \"{kindName}\"; expected one of {string.Join(", ", FieldKinds.Names)}"));
            return null;
        }

        var optionsKey = kind.UsesLabels() ? "labels" : "options";
        var wrongKey = kind.UsesLabels() ? "options" : "labels";
        if (f[wrongKey] is not null)
        {
            // A kind without choices must not silently drop a "labels" list either.
            problems.Add(kind.UsesLabels() || kind.UsesOptions()
                ? new($"{label}.{wrongKey}", $"a {kind.ToName()} field lists its choices under \"{optionsKey}\", not \"{wrongKey}\"")
                : new($"{label}.{wrongKey}", $"a {kind.ToName()} field takes no options or labels"));
        }

        var options = new List<LabelOption>();
        if (f[optionsKey] is JsonArray arr)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                var optPath = $"{label}.{optionsKey}[{i}]";
                switch (arr[i])
                {
                    case JsonValue v when v.TryGetValue<string>(out var s):
                        options.Add(new LabelOption(s));
                        break;
                    case JsonObject o:
                        foreach (var key in o.Select(p => p.Key).Where(k => !KnownOptionKeys.Contains(k)))
                        {
                            problems.Add(new($"{optPath}.{key}", $"unknown property \"{key}\""));
                        }

                        var value = ReadString(o, "value", optPath, problems);
                        if (value is null)
                        {
                            problems.Add(new(optPath, "\"value\" is required"));
                            break;
                        }

                        options.Add(new LabelOption(value, ReadString(o, "color", optPath, problems), ReadString(o, "hotkey", optPath, problems)));
                        break;
                    default:
                        problems.Add(new(optPath, "an option must be a string or an object with \"value\""));
                        break;
                }
            }
        }
        else if (f[optionsKey] is not null)
        {
            problems.Add(new($"{label}.{optionsKey}", "must be an array"));
        }

        var responses = new List<string>();
        if (f["responses"] is JsonArray resp)
        {
            for (var i = 0; i < resp.Count; i++)
            {
                if (resp[i] is JsonValue rv && rv.TryGetValue<string>(out var key))
                {
                    responses.Add(key);
                }
                else
                {
                    problems.Add(new($"{label}.responses[{i}]", "must be the name of an item data key (a string)"));
                }
            }
        }
        else if (f["responses"] is not null)
        {
            problems.Add(new($"{label}.responses", "must be an array of item data keys"));
        }

        return new SchemaField
        {
            Name = name ?? string.Empty,
            Kind = kind,
            Source = ReadString(f, "source", label, problems),
            Required = ReadBool(f, "required", label, problems) ?? false,
            Description = ReadString(f, "description", label, problems),
            Options = options,
            Multiple = ReadBool(f, "multiple", label, problems) ?? false,
            Max = ReadInt(f, "max", label, problems),
            Responses = responses,
        };
    }

    public static JsonObject ToJsonNode(LabelSchema schema)
    {
        var fields = new JsonArray();
        foreach (var field in schema.Fields)
        {
            var o = new JsonObject
            {
                ["name"] = field.Name,
                ["kind"] = field.Kind.ToName(),
            };
            if (field.Source is not null)
            {
                o["source"] = field.Source;
            }

            if (field.Required)
            {
                o["required"] = true;
            }

            if (field.Description is not null)
            {
                o["description"] = field.Description;
            }

            if (field.Kind.UsesOptions() || field.Kind.UsesLabels())
            {
                var opts = new JsonArray();
                foreach (var opt in field.Options)
                {
                    var oo = new JsonObject { ["value"] = opt.Value };
                    if (opt.Color is not null)
                    {
                        oo["color"] = opt.Color;
                    }

                    if (opt.Hotkey is not null)
                    {
                        oo["hotkey"] = opt.Hotkey;
                    }

                    opts.Add(oo);
                }

                o[field.Kind.UsesLabels() ? "labels" : "options"] = opts;
            }

            if (field.Kind == FieldKind.Choices && field.Multiple)
            {
                o["multiple"] = true;
            }

            if (field.Kind == FieldKind.Rating && field.Max is not null)
            {
                o["max"] = field.Max;
            }

            if (field.Kind.UsesResponses())
            {
                o["responses"] = new JsonArray(field.Responses.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());
            }

            fields.Add(o);
        }

        return new JsonObject { ["fields"] = fields };
    }

    public static string Serialize(LabelSchema schema, bool indented = false) =>
        ToJsonNode(schema).ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    private static ValidationResult<LabelSchema> Fail(string message) => new(null, [new ValidationError("schema", message)]);

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …"; we say the line ourselves.
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var i = message.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0)
            {
                message = message[..i];
            }
        }

        return message.TrimEnd();
    }

    private static string? ReadString(JsonObject o, string key, string path, List<ValidationError> problems)
    {
        var node = o[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        problems.Add(new($"{path}.{key}", "must be a string"));
        return null;
    }

    private static bool? ReadBool(JsonObject o, string key, string path, List<ValidationError> problems)
    {
        var node = o[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<bool>(out var b))
        {
            return b;
        }

        problems.Add(new($"{path}.{key}", "must be true or false"));
        return null;
    }

    private static int? ReadInt(JsonObject o, string key, string path, List<ValidationError> problems)
    {
        var node = o[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n))
        {
            return n;
        }

        problems.Add(new($"{path}.{key}", "must be a whole number"));
        return null;
    }
}
