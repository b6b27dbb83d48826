using System.Text.Json.Nodes;
using LabelBench.Core.Json;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Annotations;

/// <summary>Decides an item's agreed final result from its submitted annotation results under an <see cref="AgreementRule"/>.</summary>
/// <remarks>
/// <para>Each schema field is decided on its own, and the item has a final result only when every field is decided:
/// one disagreement sends the whole item to review. A field left empty (missing, null, "" or []) is a vote for
/// "empty" like any other value; when "empty" wins, the final result leaves the field out.</para>
/// <para>Values agree when they are equal: choices, rating, text and ranking by value (multiple choices as a set,
/// ranking in order); pairwise by <c>choice</c>, keeping <c>strength</c> only when every agreeing annotator gave the
/// same one; structured fields (spans, boxes, polygons, keypoints, segments) only when their regions are identical,
/// in any order. Near-misses (a box a pixel off) are disagreements: judging overlap is the reviewer's and the
/// agreement metrics' job.</para>
/// <para>The caller passes only submitted results, once enough annotators have labelled the item; a single result
/// agrees with itself.</para>
/// </remarks>
public static class MajorityAgreement
{
    public static JsonObject? Decide(LabelSchema schema, IReadOnlyList<JsonObject> results, AgreementRule rule)
    {
        if (results.Count == 0)
        {
            return null;
        }

        var final = new JsonObject();
        foreach (var field in schema.Fields)
        {
            var votes = results.Select(r => IsEmpty(r[field.Name]) ? null : r[field.Name]).ToList();
            var winners = WinningGroup(field, votes, rule);
            if (winners is null)
            {
                return null;
            }

            if (winners[0] is not null)
            {
                final[field.Name] = Merge(field, winners!);
            }
        }

        return final;
    }

    /// <summary>The votes that make the agreed value, or null when there is no agreement.</summary>
    private static List<JsonNode?>? WinningGroup(SchemaField field, List<JsonNode?> votes, AgreementRule rule)
    {
        var groups = new List<List<JsonNode?>>();
        foreach (var vote in votes)
        {
            var group = groups.FirstOrDefault(g => Same(field, g[0], vote));
            if (group is null)
            {
                groups.Add([vote]);
            }
            else
            {
                group.Add(vote);
            }
        }

        var largest = groups.MaxBy(g => g.Count)!;
        var agreed = rule switch
        {
            AgreementRule.Unanimous => largest.Count == votes.Count,
            AgreementRule.Majority => largest.Count * 2 > votes.Count,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown agreement rule"),
        };
        return agreed ? largest : null;
    }

    private static bool Same(SchemaField field, JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return field.Kind switch
        {
            FieldKind.Choices when field.Multiple => a is JsonArray x && b is JsonArray y && SameMultiset(x, y),
            FieldKind.Pairwise => JsonNode.DeepEquals(a["choice"], b["choice"]),
            FieldKind.Spans or FieldKind.Boxes or FieldKind.Polygons or FieldKind.Keypoints or FieldKind.Segments =>
                a is JsonArray x && b is JsonArray y && SameMultiset(x, y),
            _ => JsonNode.DeepEquals(a, b),
        };
    }

    /// <summary>Equal elements in any order; element equality is an equivalence, so greedy matching is exact.</summary>
    private static bool SameMultiset(JsonArray a, JsonArray b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        var unmatched = b.ToList();
        foreach (var element in a)
        {
            var i = unmatched.FindIndex(u => JsonNode.DeepEquals(u, element));
            if (i < 0)
            {
                return false;
            }

            unmatched.RemoveAt(i);
        }

        return true;
    }

    private static JsonNode Merge(SchemaField field, List<JsonNode?> agreeing)
    {
        var first = agreeing[0]!;
        if (field.Kind != FieldKind.Pairwise)
        {
            return first.DeepClone();
        }

        var merged = new JsonObject { ["choice"] = first["choice"]?.DeepClone() };
        var strength = first["strength"];
        if (strength is not null && agreeing.All(v => JsonNode.DeepEquals(v!["strength"], strength)))
        {
            merged["strength"] = strength.DeepClone();
        }

        return merged;
    }

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        _ => JsonNumber.TryGetString(value, out var s) && s.Length == 0,
    };
}
