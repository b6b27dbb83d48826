using LabelBench.Core.Schemas;

namespace LabelBench.Core.Tests.Schemas;

/// <summary>A schema with one field of every kind of CONTRACT.md, shared by schema and annotation tests.</summary>
internal static class SchemaSamples
{
    public const string AllKindsJson = """
        {
          "fields": [
            {"name": "sentiment", "kind": "choices", "source": "text", "required": true,
             "options": [{"value": "pos", "color": "#0a0", "hotkey": "1"}, {"value": "neg", "hotkey": "2"}, "neutral"]},
            {"name": "topics", "kind": "choices", "source": "text", "multiple": true, "options": ["sport", "politics", "tech"]},
            {"name": "quality", "kind": "rating", "source": "text", "max": 5},
            {"name": "summary", "kind": "text", "source": "text", "description": "One sentence."},
            {"name": "entities", "kind": "spans", "source": "text", "labels": [{"value": "PER", "hotkey": "p"}, {"value": "ORG"}]},
            {"name": "objects", "kind": "boxes", "source": "image", "labels": ["car", "person"]},
            {"name": "areas", "kind": "polygons", "source": "image", "labels": ["road"]},
            {"name": "landmarks", "kind": "keypoints", "source": "image", "labels": ["nose", "eye"]},
            {"name": "speech", "kind": "segments", "source": "audio", "labels": ["speech", "music"]},
            {"name": "preference", "kind": "pairwise", "source": "prompt", "responses": ["answer_a", "answer_b"]},
            {"name": "order", "kind": "ranking", "source": "prompt", "responses": ["r0", "r1", "r2"]}
          ]
        }
        """;

    public static LabelSchema AllKinds()
    {
        var parsed = LabelSchemaJson.Parse(AllKindsJson);
        Assert.True(parsed.IsValid, parsed.Describe());
        return parsed.Value!;
    }

    /// <summary>Parses a schema of one field given as JSON.</summary>
    public static ValidationResult<LabelSchema> ParseField(string fieldJson) => LabelSchemaJson.Parse($$"""{"fields": [{{fieldJson}}]}""");
}
