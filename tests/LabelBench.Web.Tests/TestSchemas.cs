using System.Text.Json.Nodes;

namespace LabelBench.Web.Tests;

/// <summary>Label schemas as a project lead writes them (CONTRACT.md "Label schema").</summary>
public static class TestSchemas
{
    public const string Sentiment = """
        {"fields": [
          {"name": "sentiment", "kind": "choices", "source": "text", "required": true,
           "options": [{"value": "positive", "hotkey": "1"}, {"value": "negative", "hotkey": "2"}, {"value": "neutral", "hotkey": "3"}]}
        ]}
        """;

    public static JsonNode SentimentNode => JsonNode.Parse(Sentiment)!;
}
