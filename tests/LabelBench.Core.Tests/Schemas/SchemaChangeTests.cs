using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Tests.Schemas;

public class SchemaChangeTests
{
    private static LabelSchema Schema(string json)
    {
        var parsed = LabelSchemaJson.Parse(json);
        Assert.True(parsed.IsValid, parsed.Describe());
        return parsed.Value!;
    }

    private static readonly LabelSchema Old = Schema("""
        {"fields": [
          {"name": "sentiment", "kind": "choices", "source": "text", "options": ["pos", "neg", "neutral"]},
          {"name": "topics", "kind": "choices", "source": "text", "multiple": true, "options": ["sport", "politics", "tech"]},
          {"name": "entities", "kind": "spans", "source": "text", "labels": ["PER", "ORG", "LOC"]},
          {"name": "quality", "kind": "rating", "source": "text", "max": 5},
          {"name": "notes", "kind": "text", "source": "text"},
          {"name": "order", "kind": "ranking", "responses": ["a", "b", "c"]}
        ]}
        """);

    private static LabelUsage Usage(params string[] results)
    {
        var counter = new LabelUsageCounter(Old);
        foreach (var r in results)
        {
            counter.Add(JsonNode.Parse(r)!.AsObject());
        }

        return counter.ToUsage();
    }

    private static LabelSchema Without(string field) => Old with { Fields = Old.Fields.Where(f => f.Name != field).ToList() };

    private static LabelSchema Replace(string field, Func<SchemaField, SchemaField> change) =>
        Old with { Fields = Old.Fields.Select(f => f.Name == field ? change(f) : f).ToList() };

    private static LabelSchema WithOptions(string field, params string[] values) =>
        Replace(field, f => f with { Options = values.Select(v => new LabelOption(v)).ToList() });

    [Fact]
    public void Counter_counts_each_label_once_per_annotation_and_fields_with_a_value()
    {
        var usage = Usage(
            """{"sentiment": "pos", "entities": [{"start": 0, "end": 1, "label": "PER"}, {"start": 2, "end": 3, "label": "PER"}]}""",
            """{"sentiment": "neg", "topics": ["sport", "tech"], "notes": ""}""",
            """{"sentiment": "pos", "topics": [], "quality": 4}""");

        Assert.Equal(3, usage.FieldCount("sentiment"));
        Assert.Equal(2, usage.LabelCount("sentiment", "pos"));
        Assert.Equal(1, usage.LabelCount("entities", "PER"));
        Assert.Equal(1, usage.FieldCount("topics"));
        Assert.Equal(0, usage.FieldCount("notes"));
        Assert.Equal(1, usage.LabelCount("quality", "4"));
    }

    [Fact]
    public void Adding_fields_and_labels_orphans_nothing()
    {
        var added = WithOptions("sentiment", "pos", "neg", "neutral", "mixed") with
        {
            Fields = [.. WithOptions("sentiment", "pos", "neg", "neutral", "mixed").Fields, new SchemaField { Name = "extra", Kind = FieldKind.Text, Source = "text" }],
        };

        var report = SchemaChange.Analyze(Old, added, Usage("""{"sentiment": "pos"}"""));

        Assert.Empty(SchemaChange.Compare(Old, added));
        Assert.Empty(report.Impacts);
        Assert.True(report.CanApply);
    }

    [Fact]
    public void Removing_a_label_in_use_is_reported_with_its_count()
    {
        var report = SchemaChange.Analyze(Old, WithOptions("sentiment", "pos", "neg"), Usage(
            """{"sentiment": "neutral"}""", """{"sentiment": "neutral"}""", """{"sentiment": "pos"}"""));

        var impact = Assert.Single(report.Impacts);
        Assert.Equal(SchemaImpactKind.LabelRemoved, impact.Kind);
        Assert.Equal(("sentiment", "neutral", 2), (impact.Field, impact.Label, impact.Annotations));
        Assert.False(report.CanApply);
        Assert.Contains("label \"neutral\" is removed from \"sentiment\" but 2 annotations use it", report.DescribeRefusal(2), StringComparison.Ordinal);
        Assert.Contains("would orphan 2 annotations", report.DescribeRefusal(2), StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_a_label_nobody_used_is_fine()
    {
        var report = SchemaChange.Analyze(Old, WithOptions("sentiment", "pos", "neg"), Usage("""{"sentiment": "pos"}"""));

        Assert.Single(SchemaChange.Compare(Old, WithOptions("sentiment", "pos", "neg")));
        Assert.Empty(report.Impacts);
        Assert.True(report.CanApply);
    }

    [Fact]
    public void Removing_a_field_in_use_and_changing_a_kind_are_reported()
    {
        var changed = Replace("notes", f => f with { Kind = FieldKind.Rating, Max = 3 }) with { };
        changed = changed with { Fields = changed.Fields.Where(f => f.Name != "entities").ToList() };
        var usage = Usage(
            """{"notes": "long", "entities": [{"start": 0, "end": 1, "label": "LOC"}]}""",
            """{"notes": "short"}""");

        var report = SchemaChange.Analyze(Old, changed, usage);

        Assert.Contains(report.Impacts, i => i is { Kind: SchemaImpactKind.FieldRemoved, Field: "entities", Annotations: 1 });
        Assert.Contains(report.Impacts, i => i is { Kind: SchemaImpactKind.KindChanged, Field: "notes", Annotations: 2 });
        Assert.Equal(2, report.Impacts.Count);
    }

    [Fact]
    public void Multiple_turned_off_lower_rating_max_and_ranking_size_are_reported()
    {
        var changed = Replace("topics", f => f with { Multiple = false });
        changed = changed with { Fields = changed.Fields.Select(f => f.Name == "quality" ? f with { Max = 3 } : f.Name == "order" ? f with { Responses = ["a", "b"] } : f).ToList() };
        var usage = Usage("""{"topics": ["sport"], "quality": 5, "order": [2, 0, 1]}""", """{"quality": 2}""");

        var report = SchemaChange.Analyze(Old, changed, usage);

        Assert.Contains(report.Impacts, i => i is { Kind: SchemaImpactKind.MultipleTurnedOff, Field: "topics", Annotations: 1 });
        Assert.Contains(report.Impacts, i => i is { Kind: SchemaImpactKind.RatingMaxLowered, Field: "quality", Label: "5", Annotations: 1 });
        Assert.Contains(report.Impacts, i => i is { Kind: SchemaImpactKind.ResponsesChanged, Field: "order", Annotations: 1 });
        Assert.DoesNotContain(report.Impacts, i => i.Label == "4");
    }

    [Fact]
    public void Rename_merge_and_clear_resolve_the_impacts_they_cover()
    {
        var changed = WithOptions("sentiment", "positive", "negative");
        changed = changed with { Fields = changed.Fields.Where(f => f.Name != "notes").ToList() };
        var usage = Usage("""{"sentiment": "pos", "notes": "x"}""", """{"sentiment": "neg"}""", """{"sentiment": "neutral"}""");

        var partial = SchemaChange.Analyze(Old, changed, usage, [new RenameLabel("sentiment", "pos", "positive")]);
        Assert.Equal(3, partial.Unresolved.Count());

        var full = SchemaChange.Analyze(Old, changed, usage,
        [
            new RenameLabel("sentiment", "pos", "positive"),
            new MergeLabels("sentiment", ["neg", "neutral"], "negative"),
            new ClearField("notes"),
        ]);
        Assert.Empty(full.MigrationErrors);
        Assert.Empty(full.Unresolved);
        Assert.True(full.CanApply);
        Assert.All(full.Impacts, i => Assert.True(i.Resolved));
    }

    [Fact]
    public void Unsound_migrations_are_refused_by_name()
    {
        var changed = WithOptions("sentiment", "pos", "negative");

        var errors = SchemaChange.ValidateMigrations(Old, changed,
        [
            new RenameLabel("missing", "a", "b"),
            new RenameLabel("sentiment", "nope", "negative"),
            new RenameLabel("sentiment", "neg", "pos"),
            new MergeLabels("sentiment", ["neutral"], "unknown"),
            new MergeLabels("sentiment", ["neg"], "negative"),
            new RenameLabel("notes", "a", "b"),
        ]);

        Assert.Contains(errors, e => e.Path == "migrations[0].field" && e.Message.Contains("no field \"missing\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "migrations[1].from" && e.Message.Contains("no label \"nope\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "migrations[2].to" && e.Message.Contains("merge into it", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "migrations[3]" && e.Message.Contains("no label \"unknown\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "migrations[4].from" && e.Message.Contains("moved by two migrations", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "migrations[5]" && e.Message.Contains("only options and labels", StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_renames_single_choices_and_region_labels()
    {
        var result = JsonNode.Parse("""{"sentiment": "neg", "entities": [{"start": 0, "end": 2, "label": "ORG"}, {"start": 3, "end": 5, "label": "PER"}]}""")!.AsObject();

        var migrated = SchemaChange.Apply(result, [new RenameLabel("sentiment", "neg", "negative"), new RenameLabel("entities", "ORG", "COMPANY")], Old);

        Assert.NotNull(migrated);
        Assert.Equal("negative", migrated!["sentiment"]!.GetValue<string>());
        Assert.Equal("COMPANY", migrated["entities"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("PER", migrated["entities"]![1]!["label"]!.GetValue<string>());
        Assert.Equal("neg", result["sentiment"]!.GetValue<string>());
    }

    [Fact]
    public void Apply_merges_multiple_choices_without_duplicates_in_their_order()
    {
        var result = JsonNode.Parse("""{"topics": ["sport", "politics", "tech"]}""")!.AsObject();

        var migrated = SchemaChange.Apply(result, [new MergeLabels("topics", ["sport", "tech"], "other")], Old);

        Assert.Equal("""["other","politics"]""", migrated!["topics"]!.ToJsonString());
    }

    [Fact]
    public void Apply_clears_a_field_and_leaves_untouched_results_alone()
    {
        var touched = JsonNode.Parse("""{"notes": "x", "sentiment": "pos"}""")!.AsObject();
        var untouched = JsonNode.Parse("""{"sentiment": "pos"}""")!.AsObject();
        IReadOnlyList<SchemaMigration> migrations = [new ClearField("notes"), new RenameLabel("sentiment", "neg", "negative")];

        var migrated = SchemaChange.Apply(touched, migrations, Old);

        Assert.Equal("""{"sentiment":"pos"}""", migrated!.ToJsonString());
        Assert.Null(SchemaChange.Apply(untouched, migrations, Old));
    }

    [Fact]
    public void Hits_tells_which_annotations_an_impact_counts()
    {
        var impact = new SchemaImpact(SchemaImpactKind.LabelRemoved, "entities", "LOC", 1);

        Assert.True(SchemaChange.Hits(impact, JsonNode.Parse("""{"entities": [{"start": 0, "end": 1, "label": "LOC"}]}""")!.AsObject(), Old));
        Assert.False(SchemaChange.Hits(impact, JsonNode.Parse("""{"entities": [{"start": 0, "end": 1, "label": "PER"}]}""")!.AsObject(), Old));
        Assert.False(SchemaChange.Hits(impact, JsonNode.Parse("""{"entities": []}""")!.AsObject(), Old));
    }

    [Fact]
    public void Migrations_round_trip_through_json_and_bad_ones_name_the_entry()
    {
        IReadOnlyList<SchemaMigration> migrations = [new RenameLabel("a", "x", "y"), new MergeLabels("b", ["p", "q"], "r"), new ClearField("c")];

        var parsed = SchemaMigrationJson.Parse(JsonNode.Parse(SchemaMigrationJson.ToJson(migrations).ToJsonString()));
        var bad = SchemaMigrationJson.Parse(JsonNode.Parse("""[{"kind": "rename", "field": "a"}, {"kind": "split", "field": "b"}]"""));

        Assert.True(parsed.IsValid);
        Assert.Equal(migrations, parsed.Value);
        Assert.False(bad.IsValid);
        Assert.Contains(bad.Errors, e => e.Path == "migrations[0]" && e.Message.Contains("\"from\" and \"to\"", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Path == "migrations[1].kind");
    }
}
