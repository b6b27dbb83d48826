namespace LabelBench.Core.Schemas;

/// <summary>A starter schema a lead can begin a project from.</summary>
public sealed record SchemaTemplate(string Key, string Title, string Json);

/// <summary>Starter schemas for the common labelling jobs.</summary>
public static class SchemaTemplates
{
    public static IReadOnlyList<SchemaTemplate> All { get; } =
    [
        new("sentiment", "Text classification (sentiment)", """
            {
              "fields": [
                {
                  "name": "sentiment", "kind": "choices", "source": "text", "required": true,
                  "options": [
                    { "value": "positive", "color": "#2e7d32", "hotkey": "1" },
                    { "value": "negative", "color": "#c62828", "hotkey": "2" },
                    { "value": "neutral", "color": "#757575", "hotkey": "3" }
                  ]
                }
              ]
            }
            """),
        new("ner", "Named entities (spans)", """
            {
              "fields": [
                {
                  "name": "entities", "kind": "spans", "source": "text",
                  "labels": [
                    { "value": "PER", "color": "#1e88e5", "hotkey": "p" },
                    { "value": "ORG", "color": "#8e24aa", "hotkey": "o" },
                    { "value": "LOC", "color": "#43a047", "hotkey": "l" },
                    { "value": "DATE", "color": "#fb8c00", "hotkey": "d" }
                  ]
                }
              ]
            }
            """),
        new("detection", "Object detection (boxes)", """
            {
              "fields": [
                {
                  "name": "objects", "kind": "boxes", "source": "image",
                  "labels": [
                    { "value": "car", "color": "#e53935", "hotkey": "c" },
                    { "value": "person", "color": "#1e88e5", "hotkey": "p" },
                    { "value": "tree", "color": "#43a047", "hotkey": "t" }
                  ]
                }
              ]
            }
            """),
        new("audio-events", "Audio events (segments)", """
            {
              "fields": [
                {
                  "name": "regions", "kind": "segments", "source": "audio",
                  "labels": [
                    { "value": "speech", "color": "#1e88e5", "hotkey": "1" },
                    { "value": "music", "color": "#8e24aa", "hotkey": "2" },
                    { "value": "noise", "color": "#757575", "hotkey": "3" }
                  ]
                }
              ]
            }
            """),
        new("transcription", "Transcription", """
            {
              "fields": [
                { "name": "transcript", "kind": "text", "source": "audio", "required": true },
                { "name": "quality", "kind": "rating", "source": "audio", "max": 5 }
              ]
            }
            """),
        new("preference", "RLHF preference (pairwise)", """
            {
              "fields": [
                { "name": "preference", "kind": "pairwise", "source": "prompt", "responses": ["response_a", "response_b"], "required": true },
                { "name": "rationale", "kind": "text", "source": "prompt" }
              ]
            }
            """),
    ];
}
