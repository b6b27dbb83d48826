using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Json;
using LabelBench.Core.Schemas;
using LabelBench.Core.Text;

namespace LabelBench.Core.Annotations;

/// <summary>What the validator knows about the item an annotation is for.</summary>
public sealed record ItemContext(JsonObject Data, int? ImageWidth = null, int? ImageHeight = null, double? AudioDurationSeconds = null)
{
    public static ItemContext Empty { get; } = new(new JsonObject());

    public string? Text(string? key) =>
        key is not null && Data[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>Checks an annotation result (field name → value, CONTRACT.md) against a schema and its item.</summary>
public static class AnnotationResultValidator
{
    public static IReadOnlyList<ValidationError> Validate(LabelSchema schema, JsonNode? result, ItemContext? item = null, bool requireComplete = true)
    {
        item ??= ItemContext.Empty;
        var problems = new List<ValidationError>();
        if (result is not JsonObject obj)
        {
            problems.Add(new("result", "the result must be a JSON object of field name → value"));
            return problems;
        }

        foreach (var (key, _) in obj)
        {
            if (schema.FindField(key) is null)
            {
                problems.Add(new(key, $"the schema has no field \"{key}\""));
            }
        }

        foreach (var field in schema.Fields)
        {
            var value = obj[field.Name];
            if (value is null || IsEmpty(value))
            {
                if (field.Required && requireComplete)
                {
                    problems.Add(new(field.Name, "is required"));
                }

                continue;
            }

            ValidateValue(field, value, item, problems);
        }

        return problems;
    }

    private static bool IsEmpty(JsonNode value) => value switch
    {
        JsonArray a => a.Count == 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        _ => false,
    };

    private static void ValidateValue(SchemaField field, JsonNode value, ItemContext item, List<ValidationError> problems)
    {
        var name = field.Name;
        switch (field.Kind)
        {
            case FieldKind.Choices:
                ValidateChoices(field, value, problems);
                break;
            case FieldKind.Rating:
                if (!TryInt(value, out var rating) || rating < 1 || rating > (field.Max ?? int.MaxValue))
                {
                    problems.Add(new(name, $"must be a whole number from 1 to {field.Max}"));
                }

                break;
            case FieldKind.Text:
                if (value is not JsonValue tv || !tv.TryGetValue<string>(out _))
                {
                    problems.Add(new(name, "must be a string"));
                }

                break;
            case FieldKind.Spans:
                ValidateSpans(field, value, item, problems);
                break;
            case FieldKind.Boxes:
                ForEachRegion(field, value, problems, (o, path) =>
                {
                    var x = Number(o, "x", path, problems);
                    var y = Number(o, "y", path, problems);
                    var w = Number(o, "width", path, problems);
                    var h = Number(o, "height", path, problems);
                    if (w is <= 0 || h is <= 0)
                    {
                        problems.Add(new(path, "width and height must be greater than 0"));
                    }

                    if (x is { } px && y is { } py && w is { } pw && h is { } ph)
                    {
                        CheckInImage(item, path, problems, (px, py), (px + pw, py + ph));
                    }
                });
                break;
            case FieldKind.Polygons:
                ForEachRegion(field, value, problems, (o, path) =>
                {
                    if (o["points"] is not JsonArray pts || pts.Count < 3)
                    {
                        problems.Add(new($"{path}.points", "a polygon needs at least three [x, y] points"));
                        return;
                    }

                    for (var i = 0; i < pts.Count; i++)
                    {
                        if (pts[i] is JsonArray p && p.Count == 2 && TryDouble(p[0], out var px) && TryDouble(p[1], out var py))
                        {
                            CheckInImage(item, $"{path}.points[{i}]", problems, (px, py));
                        }
                        else
                        {
                            problems.Add(new($"{path}.points[{i}]", "a point is [x, y] in pixels"));
                        }
                    }
                });
                break;
            case FieldKind.Keypoints:
                ForEachRegion(field, value, problems, (o, path) =>
                {
                    var x = Number(o, "x", path, problems);
                    var y = Number(o, "y", path, problems);
                    if (x is { } px && y is { } py)
                    {
                        CheckInImage(item, path, problems, (px, py));
                    }
                });
                break;
            case FieldKind.Segments:
                ForEachRegion(field, value, problems, (o, path) =>
                {
                    var start = Number(o, "start", path, problems);
                    var end = Number(o, "end", path, problems);
                    if (start is { } s && end is { } e)
                    {
                        if (s < 0 || e <= s)
                        {
                            problems.Add(new(path, "a segment needs 0 ≤ start < end (seconds)"));
                        }
                        else if (item.AudioDurationSeconds is { } d && e > d + 0.001)
                        {
                            problems.Add(new(path, $"ends at {e.ToString(CultureInfo.InvariantCulture)} s, after the audio's end at {d.ToString("0.###", CultureInfo.InvariantCulture)} s"));
                        }
                    }

                    if (o["text"] is { } t && (t is not JsonValue tv2 || !tv2.TryGetValue<string>(out _)))
                    {
                        problems.Add(new($"{path}.text", "must be a string"));
                    }
                });
                break;
            case FieldKind.Pairwise:
                ValidatePairwise(name, value, problems);
                break;
            case FieldKind.Ranking:
                ValidateRanking(field, value, problems);
                break;
            default:
                problems.Add(new(name, $"unsupported kind {field.Kind}"));
                break;
        }
    }

    private static void ValidateChoices(SchemaField field, JsonNode value, List<ValidationError> problems)
    {
        var chosen = new List<string>();
        if (value is JsonArray arr)
        {
            if (!field.Multiple)
            {
                problems.Add(new(field.Name, "takes one choice (a string), not a list"));
                return;
            }

            foreach (var v in arr)
            {
                if (v is JsonValue jv && jv.TryGetValue<string>(out var s))
                {
                    chosen.Add(s);
                }
                else
                {
                    problems.Add(new(field.Name, "each choice must be a string"));
                    return;
                }
            }

            if (chosen.Distinct(StringComparer.Ordinal).Count() != chosen.Count)
            {
                problems.Add(new(field.Name, "lists the same choice twice"));
            }
        }
        else if (!field.Multiple && value is JsonValue sv && sv.TryGetValue<string>(out var one))
        {
            chosen.Add(one);
        }
        else
        {
            problems.Add(new(field.Name, field.Multiple ? "must be a list of choices" : "must be one of the options (a string)"));
            return;
        }

        foreach (var c in chosen.Where(c => field.FindOption(c) is null))
        {
            problems.Add(new(field.Name, $"\"{c}\" is not one of the options ({string.Join(", ", field.Options.Select(o => o.Value))})"));
        }
    }

    private static void ValidateSpans(SchemaField field, JsonNode value, ItemContext item, List<ValidationError> problems)
    {
        var text = item.Text(field.Source);
        var length = text is null ? (int?)null : CodePoints.Length(text);
        ForEachRegion(field, value, problems, (o, path) =>
        {
            if (!TryInt(o["start"], out var start) || !TryInt(o["end"], out var end))
            {
                problems.Add(new(path, "a span needs whole-number \"start\" and \"end\" character offsets"));
                return;
            }

            if (start < 0 || end <= start)
            {
                problems.Add(new(path, $"a span needs 0 ≤ start < end, not {start}..{end}"));
            }
            else if (length is { } len && end > len)
            {
                problems.Add(new(path, $"ends at {end}, past the end of the text ({len} characters)"));
            }
        });
    }

    private static void ValidatePairwise(string name, JsonNode value, List<ValidationError> problems)
    {
        if (value is not JsonObject o)
        {
            problems.Add(new(name, "must be {\"choice\": \"A\" | \"B\" | \"tie\", \"strength\": 1..3}"));
            return;
        }

        var choice = o["choice"] is JsonValue cv && cv.TryGetValue<string>(out var c) ? c : null;
        if (choice is not ("A" or "B" or "tie"))
        {
            problems.Add(new($"{name}.choice", "must be \"A\", \"B\" or \"tie\""));
        }

        if (o["strength"] is { } sNode && (!TryInt(sNode, out var strength) || strength < 1 || strength > 3))
        {
            problems.Add(new($"{name}.strength", "must be 1, 2 or 3"));
        }

        foreach (var key in o.Select(p => p.Key).Where(k => k is not ("choice" or "strength")))
        {
            problems.Add(new($"{name}.{key}", $"unknown property \"{key}\""));
        }
    }

    private static void ValidateRanking(SchemaField field, JsonNode value, List<ValidationError> problems)
    {
        var n = field.Responses.Count;
        if (value is not JsonArray arr)
        {
            problems.Add(new(field.Name, $"must be a list of the response indexes 0..{n - 1}, best first"));
            return;
        }

        var seen = new HashSet<int>();
        foreach (var v in arr)
        {
            if (!TryInt(v, out var i) || i < 0 || i >= n || !seen.Add(i))
            {
                problems.Add(new(field.Name, $"must list each response index 0..{n - 1} once, best first"));
                return;
            }
        }

        if (seen.Count != n)
        {
            problems.Add(new(field.Name, $"ranks {seen.Count} of the {n} responses; rank them all"));
        }
    }

    private static void ForEachRegion(SchemaField field, JsonNode value, List<ValidationError> problems, Action<JsonObject, string> check)
    {
        if (value is not JsonArray arr)
        {
            problems.Add(new(field.Name, "must be a list"));
            return;
        }

        for (var i = 0; i < arr.Count; i++)
        {
            var path = $"{field.Name}[{i}]";
            if (arr[i] is not JsonObject o)
            {
                problems.Add(new(path, "must be an object"));
                continue;
            }

            var label = o["label"] is JsonValue lv && lv.TryGetValue<string>(out var l) ? l : null;
            if (label is null)
            {
                problems.Add(new($"{path}.label", "is required"));
            }
            else if (field.FindOption(label) is null)
            {
                problems.Add(new($"{path}.label", $"\"{label}\" is not one of the labels ({string.Join(", ", field.Options.Select(x => x.Value))})"));
            }

            check(o, path);
        }
    }

    private static void CheckInImage(ItemContext item, string path, List<ValidationError> problems, params (double X, double Y)[] points)
    {
        foreach (var (x, y) in points)
        {
            if (x < 0 || y < 0 || (item.ImageWidth is { } w && x > w) || (item.ImageHeight is { } h && y > h))
            {
                var size = item.ImageWidth is null || item.ImageHeight is null ? string.Empty : $" ({item.ImageWidth}×{item.ImageHeight})";
                problems.Add(new(path, $"lies outside the image{size}"));
                return;
            }
        }
    }

    private static double? Number(JsonObject o, string key, string path, List<ValidationError> problems)
    {
        if (TryDouble(o[key], out var d))
        {
            return d;
        }

        problems.Add(new($"{path}.{key}", "must be a number"));
        return null;
    }

    private static bool TryDouble(JsonNode? node, out double value) => JsonNumber.TryGetDouble(node, out value);

    private static bool TryInt(JsonNode? node, out int value) => JsonNumber.TryGetInt(node, out value);
}
