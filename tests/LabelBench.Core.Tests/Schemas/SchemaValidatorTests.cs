using LabelBench.Core.Schemas;

namespace LabelBench.Core.Tests.Schemas;

public class SchemaValidatorTests
{
    private static ValidationError SingleError(ValidationResult<LabelSchema> result, string pathPart, string messagePart)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var matches = result.Errors.Where(e => e.Path.Contains(pathPart, StringComparison.Ordinal) && e.Message.Contains(messagePart, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected one error at '{pathPart}' saying '{messagePart}', got:\n{result.Describe()}");
        return matches[0];
    }

    [Fact]
    public void Schema_with_every_kind_is_valid()
    {
        var parsed = LabelSchemaJson.Parse(SchemaSamples.AllKindsJson);

        Assert.True(parsed.IsValid, parsed.Describe());
        Assert.Empty(parsed.Problems);
        Assert.Equal(Enum.GetValues<FieldKind>().Order(), parsed.Value!.Fields.Select(f => f.Kind).Distinct().Order());
    }

    [Theory]
    [InlineData("""{"name": "c", "kind": "choices", "source": "text", "options": ["a"]}""")]
    [InlineData("""{"name": "c", "kind": "choices", "source": "text", "multiple": true, "options": ["a", "b"]}""")]
    [InlineData("""{"name": "r", "kind": "rating", "source": "text", "max": 10}""")]
    [InlineData("""{"name": "t", "kind": "text", "source": "audio", "required": true}""")]
    [InlineData("""{"name": "s", "kind": "spans", "source": "text", "labels": ["PER"]}""")]
    [InlineData("""{"name": "b", "kind": "boxes", "source": "image", "labels": [{"value": "car", "color": "#ff0000", "hotkey": "c"}]}""")]
    [InlineData("""{"name": "p", "kind": "polygons", "source": "image", "labels": ["road"]}""")]
    [InlineData("""{"name": "k", "kind": "keypoints", "source": "image", "labels": ["nose"]}""")]
    [InlineData("""{"name": "g", "kind": "segments", "source": "audio", "labels": ["speech"]}""")]
    [InlineData("""{"name": "w", "kind": "pairwise", "responses": ["a", "b"]}""")]
    [InlineData("""{"name": "w", "kind": "pairwise", "source": "prompt", "responses": ["a", "b"]}""")]
    [InlineData("""{"name": "k", "kind": "ranking", "responses": ["a", "b", "c", "d"]}""")]
    public void Each_kind_accepts_a_well_formed_field(string field)
    {
        var parsed = SchemaSamples.ParseField(field);

        Assert.True(parsed.IsValid, parsed.Describe());
    }

    [Fact]
    public void Unknown_kind_names_the_field_and_the_kinds()
    {
        var error = SingleError(SchemaSamples.ParseField("""{"name": "x", "kind": "checkbox", "source": "t"}"""), "\"x\".kind", "unknown kind \"checkbox\"");

        Assert.Contains("choices", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_kind_is_reported_once()
    {
        var parsed = SchemaSamples.ParseField("""{"name": "x", "source": "t"}""");

        SingleError(parsed, "\"x\".kind", "\"kind\" is required");
        Assert.Single(parsed.Errors);
    }

    [Fact]
    public void Kind_that_is_not_a_string_is_reported_once()
    {
        var parsed = SchemaSamples.ParseField("""{"name": "x", "kind": 3, "source": "t"}""");

        SingleError(parsed, "\"x\".kind", "must be a string");
        Assert.Single(parsed.Errors);
    }

    [Fact]
    public void Duplicate_field_names_are_refused_at_the_second()
    {
        var parsed = LabelSchemaJson.Parse("""
            {"fields": [
              {"name": "label", "kind": "text", "source": "t"},
              {"name": "label", "kind": "text", "source": "t"}
            ]}
            """);

        var error = SingleError(parsed, "fields[1] \"label\".name", "duplicate field name \"label\"");
        Assert.DoesNotContain("fields[0]", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_without_name_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"kind": "text", "source": "t"}"""), "fields[0]", "needs a \"name\"");
    }

    [Fact]
    public void Field_name_with_spaces_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "my field", "kind": "text", "source": "t"}"""), "\"my field\".name", "must start with a letter");
    }

    [Fact]
    public void Schema_without_fields_is_refused()
    {
        SingleError(LabelSchemaJson.Parse("""{"fields": []}"""), "fields", "at least one field");
        SingleError(LabelSchemaJson.Parse("""{"name": "x"}"""), "schema", "\"fields\" array");
        SingleError(LabelSchemaJson.Parse("""[1, 2]"""), "schema", "JSON object");
    }

    [Theory]
    [InlineData("choices", "options")]
    [InlineData("spans", "labels")]
    [InlineData("boxes", "labels")]
    [InlineData("polygons", "labels")]
    [InlineData("keypoints", "labels")]
    [InlineData("segments", "labels")]
    public void Empty_options_or_labels_are_refused(string kind, string key)
    {
        var parsed = SchemaSamples.ParseField($$"""{"name": "f", "kind": "{{kind}}", "source": "s", "{{key}}": []}""");

        SingleError(parsed, $"\"f\".{key}", $"at least one entry in \"{key}\"");
    }

    [Fact]
    public void Missing_options_are_refused_like_empty_ones()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s"}"""), "\"f\".options", "at least one entry");
    }

    [Fact]
    public void Labels_under_options_are_refused_with_the_right_key()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "spans", "source": "s", "labels": ["A"], "options": ["B"]}"""), "\"f\".options", "under \"labels\"");
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": ["A"], "labels": ["B"]}"""), "\"f\".labels", "under \"options\"");
    }

    [Theory]
    [InlineData("labels")]
    [InlineData("options")]
    public void Kinds_without_choices_refuse_options_and_labels(string key)
    {
        var parsed = SchemaSamples.ParseField($$"""{"name": "f", "kind": "rating", "source": "s", "max": 5, "{{key}}": ["A"]}""");

        SingleError(parsed, "\"f\"", "takes no options or labels");
    }

    [Fact]
    public void Duplicate_option_values_are_refused()
    {
        var parsed = SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": ["a", "b", "a"]}""");

        SingleError(parsed, "\"f\".options[2].value", "duplicate value \"a\"");
    }

    [Fact]
    public void Duplicate_label_values_are_refused()
    {
        var parsed = SchemaSamples.ParseField("""{"name": "f", "kind": "boxes", "source": "s", "labels": [{"value": "car"}, {"value": "car"}]}""");

        SingleError(parsed, "\"f\".labels[1].value", "duplicate value \"car\"");
    }

    [Fact]
    public void Empty_option_value_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": [""]}"""), "\"f\".options[0].value", "must not be empty");
    }

    [Fact]
    public void Option_without_value_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": [{"color": "#000"}]}"""), "\"f\".options[0]", "\"value\" is required");
    }

    [Fact]
    public void Duplicate_hotkeys_are_refused_ignoring_case()
    {
        var parsed = SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": [{"value": "a", "hotkey": "k"}, {"value": "b", "hotkey": "K"}]}""");

        SingleError(parsed, "\"f\".options[1].hotkey", "duplicate hotkey \"K\"");
    }

    [Theory]
    [InlineData("s")]
    [InlineData("S")]
    [InlineData("?")]
    [InlineData("Enter")]
    [InlineData(" ")]
    [InlineData("Escape")]
    public void Reserved_hotkeys_are_refused(string hotkey)
    {
        var parsed = SchemaSamples.ParseField($$"""{"name": "f", "kind": "spans", "source": "s", "labels": [{"value": "a", "hotkey": "{{hotkey}}"}]}""");

        SingleError(parsed, "\"f\".labels[0].hotkey", "is reserved");
    }

    [Fact]
    public void Hotkey_of_several_characters_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": [{"value": "a", "hotkey": "ab"}]}"""), "\"f\".options[0].hotkey", "single key");
    }

    [Fact]
    public void Bad_colour_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": [{"value": "a", "color": "red"}]}"""), "\"f\".options[0].color", "#rgb or #rrggbb");
    }

    [Theory]
    [InlineData("""["a"]""", "not 1")]
    [InlineData("""["a", "b", "c"]""", "not 3")]
    [InlineData("""[]""", "not 0")]
    public void Pairwise_without_exactly_two_responses_is_refused(string responses, string count)
    {
        var error = SingleError(SchemaSamples.ParseField($$"""{"name": "f", "kind": "pairwise", "responses": {{responses}}}"""), "\"f\".responses", "exactly two responses");

        Assert.Contains(count, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pairwise_without_responses_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "pairwise"}"""), "\"f\".responses", "exactly two responses");
    }

    [Theory]
    [InlineData("""["a"]""")]
    [InlineData("""[]""")]
    public void Ranking_with_fewer_than_two_responses_is_refused(string responses)
    {
        SingleError(SchemaSamples.ParseField($$"""{"name": "f", "kind": "ranking", "responses": {{responses}}}"""), "\"f\".responses", "two or more responses");
    }

    [Fact]
    public void Response_listed_twice_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "ranking", "responses": ["a", "b", "a"]}"""), "\"f\".responses", "listed twice");
    }

    [Fact]
    public void Responses_on_other_kinds_are_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "text", "source": "s", "responses": ["a", "b"]}"""), "\"f\".responses", "only pairwise and ranking");
    }

    [Fact]
    public void Rating_without_max_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "rating", "source": "s"}"""), "\"f\".max", "needs \"max\"");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(101)]
    public void Rating_max_out_of_range_is_refused(int max)
    {
        SingleError(SchemaSamples.ParseField($$"""{"name": "f", "kind": "rating", "source": "s", "max": {{max}}}"""), "\"f\".max", "between 2 and 100");
    }

    [Fact]
    public void Max_on_other_kinds_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "text", "source": "s", "max": 3}"""), "\"f\".max", "only a rating field");
    }

    [Fact]
    public void Multiple_on_other_kinds_is_refused()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "spans", "source": "s", "labels": ["a"], "multiple": true}"""), "\"f\".multiple", "only a choices field");
    }

    [Theory]
    [InlineData("choices", """, "options": ["a"]""")]
    [InlineData("rating", """, "max": 3""")]
    [InlineData("text", "")]
    [InlineData("spans", """, "labels": ["a"]""")]
    [InlineData("boxes", """, "labels": ["a"]""")]
    [InlineData("polygons", """, "labels": ["a"]""")]
    [InlineData("keypoints", """, "labels": ["a"]""")]
    [InlineData("segments", """, "labels": ["a"]""")]
    public void Source_key_missing_is_refused(string kind, string rest)
    {
        var parsed = SchemaSamples.ParseField($$"""{"name": "f", "kind": "{{kind}}"{{rest}}}""");

        SingleError(parsed, "\"f\".source", "must name the item data key");
    }

    [Fact]
    public void Unknown_field_property_is_refused_by_name()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "text", "source": "s", "requird": true}"""), "\"f\".requird", "unknown property \"requird\"");
    }

    [Fact]
    public void Unknown_option_property_is_refused_by_name()
    {
        SingleError(SchemaSamples.ParseField("""{"name": "f", "kind": "choices", "source": "s", "options": [{"value": "a", "colour": "#fff"}]}"""), "\"f\".options[0].colour", "unknown property \"colour\"");
    }

    [Fact]
    public void Unknown_top_level_property_is_refused()
    {
        SingleError(LabelSchemaJson.Parse("""{"fields": [{"name": "f", "kind": "text", "source": "s"}], "feilds": []}"""), "schema.feilds", "unknown property");
    }

    [Theory]
    [InlineData("\"required\": \"yes\"", "\"f\".required", "true or false")]
    [InlineData("\"source\": 3", "\"f\".source", "must be a string")]
    [InlineData("\"max\": 2.5", "\"f\".max", "whole number")]
    public void Property_of_the_wrong_type_is_refused(string property, string path, string message)
    {
        var kind = property.Contains("max", StringComparison.Ordinal) ? "rating" : "text";
        var source = property.Contains("source", StringComparison.Ordinal) ? string.Empty : "\"source\": \"s\",";

        SingleError(SchemaSamples.ParseField($$"""{"name": "f", "kind": "{{kind}}", {{source}} {{property}}}"""), path, message);
    }

    [Fact]
    public void Source_key_that_no_item_has_is_a_warning_not_an_error()
    {
        var schema = SchemaSamples.AllKinds();
        var known = new HashSet<string>(["text", "image", "audio", "prompt", "answer_a", "r0", "r1", "r2"]);

        var problems = SchemaValidator.Validate(schema, known);

        var warning = Assert.Single(problems);
        Assert.True(warning.IsWarning);
        Assert.Contains("\"preference\"", warning.Path, StringComparison.Ordinal);
        Assert.Contains("no item has the data key \"answer_b\"", warning.Message, StringComparison.Ordinal);
        Assert.True(new ValidationResult<LabelSchema>(schema, problems).IsValid);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var parsed = LabelSchemaJson.Parse("""
            {"fields": [
              {"name": "a", "kind": "rating", "source": "s"},
              {"name": "b", "kind": "pairwise", "responses": ["x"]},
              {"name": "c", "kind": "choices", "source": "s", "options": ["y", "y"]}
            ]}
            """);

        Assert.Equal(3, parsed.Errors.Count());
        Assert.Contains(parsed.Errors, e => e.Path.Contains("\"a\"", StringComparison.Ordinal));
        Assert.Contains(parsed.Errors, e => e.Path.Contains("\"b\"", StringComparison.Ordinal));
        Assert.Contains(parsed.Errors, e => e.Path.Contains("\"c\"", StringComparison.Ordinal));
    }
}
