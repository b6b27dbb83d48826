using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Tests.Schemas;

public class LabelSchemaJsonTests
{
    [Fact]
    public void Invalid_json_names_the_line_and_position()
    {
        var parsed = LabelSchemaJson.Parse("{\n  \"fields\": [\n    {\"name\": \"a\" \"kind\": \"text\"}\n  ]\n}");

        var error = Assert.Single(parsed.Errors);
        Assert.Equal("schema", error.Path);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_json_keys_are_a_parse_error_not_an_exception()
    {
        var parsed = LabelSchemaJson.Parse("""{"fields": [{"name": "a", "name": "b", "kind": "text", "source": "t"}]}""");

        var error = Assert.Single(parsed.Errors);
        Assert.Contains("Duplicate property 'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var parsed = LabelSchemaJson.Parse("""
            {
              // hand-written schemas have comments
              "fields": [{"name": "a", "kind": "text", "source": "t",},],
            }
            """);

        Assert.True(parsed.IsValid, parsed.Describe());
    }

    [Fact]
    public void Round_trip_gives_an_equal_schema()
    {
        var schema = SchemaSamples.AllKinds();

        var again = LabelSchemaJson.Parse(LabelSchemaJson.Serialize(schema));

        Assert.True(again.IsValid, again.Describe());
        Assert.Equal(schema, again.Value);
        Assert.Equal(schema.GetHashCode(), again.Value!.GetHashCode());
    }

    [Fact]
    public void Round_trip_of_indented_json_gives_an_equal_schema()
    {
        var schema = SchemaSamples.AllKinds();

        var again = LabelSchemaJson.Parse(LabelSchemaJson.Serialize(schema, indented: true));

        Assert.Equal(schema, again.Value);
    }

    [Fact]
    public void Serialize_is_stable_and_keeps_every_property()
    {
        var schema = SchemaSamples.AllKinds();

        var json = LabelSchemaJson.Serialize(schema);

        Assert.Equal(json, LabelSchemaJson.Serialize(LabelSchemaJson.Parse(json).Value!));
        var fields = JsonNode.Parse(json)!["fields"]!.AsArray();
        Assert.Equal("""{"name":"sentiment","kind":"choices","source":"text","required":true,"options":[{"value":"pos","color":"#0a0","hotkey":"1"},{"value":"neg","hotkey":"2"},{"value":"neutral"}]}""", fields[0]!.ToJsonString());
        Assert.True(fields[1]!["multiple"]!.GetValue<bool>());
        Assert.Equal(5, fields[2]!["max"]!.GetValue<int>());
        Assert.Equal("One sentence.", fields[3]!["description"]!.GetValue<string>());
        Assert.NotNull(fields[4]!["labels"]);
        Assert.Null(fields[4]!["options"]);
        Assert.Equal("""["answer_a","answer_b"]""", fields[9]!["responses"]!.ToJsonString());
    }

    [Fact]
    public void Schemas_differing_in_one_option_are_not_equal()
    {
        var schema = SchemaSamples.AllKinds();
        var fields = schema.Fields.ToList();
        fields[0] = fields[0] with { Options = [.. fields[0].Options.Take(2), new LabelOption("neutral", "#fff")] };

        Assert.NotEqual(schema, new LabelSchema(fields));
    }

    [Fact]
    public void Data_keys_lists_sources_and_responses_once()
    {
        var keys = SchemaSamples.AllKinds().DataKeys().ToList();

        Assert.Equal(["text", "image", "audio", "prompt", "answer_a", "answer_b", "r0", "r1", "r2"], keys);
    }
}
