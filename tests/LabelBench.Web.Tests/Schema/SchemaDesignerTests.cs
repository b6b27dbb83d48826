using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using LabelBench.Core.Schemas;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Schema;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor.Services;

namespace LabelBench.Web.Tests.Schema;

/// <summary>The schema designer rendered alone: parameters in, the saved schema out through OnSave.</summary>
public sealed class SchemaDesignerTests : IAsyncLifetime
{
    // MudBlazor's services dispose only asynchronously, so the context is disposed by IAsyncLifetime, not xunit's Dispose.
    private readonly BunitContext ctx = new();

    private static readonly string[] Keys = ["text", "image", "audio", "prompt", "response_a", "response_b", "customer"];

    private LabelSchema? saved;

    public SchemaDesignerTests()
    {
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ctx.DisposeAsync();

    private static LabelSchema Parse(string json)
    {
        var parsed = LabelSchemaJson.Parse(json);
        Assert.True(parsed.IsValid, parsed.Describe());
        return parsed.Value!;
    }

    private IRenderedComponent<SchemaDesigner> RenderDesigner(LabelSchema? schema = null, JsonObject? sample = null, bool warn = false) =>
        ctx.Render<SchemaDesigner>(p => p
            .Add(x => x.Schema, schema ?? new LabelSchema([]))
            .Add(x => x.DataKeys, Keys)
            .Add(x => x.WarnUnknownKeys, warn)
            .Add(x => x.SampleData, sample)
            .Add(x => x.OnSave, s => saved = s));

    /// <summary>The element a data-testid names; for MudBlazor inputs, the input or textarea inside.</summary>
    private static IElement Control(IRenderedComponent<SchemaDesigner> cut, string testId)
    {
        var element = cut.Find($"[data-testid='{testId}']");
        return element.TagName is "INPUT" or "TEXTAREA" or "SELECT" ? element : element.QuerySelector("input, textarea, select") ?? element;
    }

    private static void AddField(IRenderedComponent<SchemaDesigner> cut, FieldKind kind)
    {
        cut.Find("[data-testid='new-field-kind']").Change(kind.ToName());
        cut.Find("[data-testid='add-field']").Click();
    }

    private static string JsonText(IRenderedComponent<SchemaDesigner> cut) => cut.Find("[data-testid='schema-json']").GetAttribute("value") ?? string.Empty;

    private static LabelSchema JsonSchema(IRenderedComponent<SchemaDesigner> cut) => Parse(JsonText(cut));

    private static string Problems(IRenderedComponent<SchemaDesigner> cut) => cut.Find("[data-testid='schema-problems']").TextContent;

    [Fact]
    public void A_field_of_every_kind_can_be_added_and_the_result_is_a_valid_schema()
    {
        var cut = RenderDesigner();

        foreach (var kind in Enum.GetValues<FieldKind>())
        {
            AddField(cut, kind);
        }

        var schema = JsonSchema(cut);
        Assert.Equal(Enum.GetValues<FieldKind>(), schema.Fields.Select(f => f.Kind));
        Assert.Equal(10, cut.FindAll("[data-testid^='field-card-']").Count);
        Assert.Contains("No problems", Problems(cut), StringComparison.Ordinal);
        Assert.Equal("text", schema.FindField("choices")!.Source);
        Assert.Equal("image", schema.FindField("boxes")!.Source);
        Assert.Equal("audio", schema.FindField("segments")!.Source);
        Assert.Equal(["response_a", "response_b"], schema.FindField("pairwise")!.Responses);
        Assert.Equal(5, schema.FindField("rating")!.Max);
        foreach (var field in schema.Fields)
        {
            Assert.NotNull(cut.Find("[data-testid='schema-preview']").QuerySelector($"[data-testid='field-{field.Name}']"));
        }

        cut.Find("[data-testid='schema-save']").Click();
        Assert.Equal(schema, saved);
    }

    [Fact]
    public void Fields_can_be_configured_by_hand_for_each_kind()
    {
        var cut = RenderDesigner();
        AddField(cut, FieldKind.Choices);
        Control(cut, "field-name-0").Input("sentiment");
        Control(cut, "option-value-0-0").Input("positive");
        cut.Find("[data-testid='option-color-0-0']").Change("#00aa00");
        Control(cut, "option-hotkey-0-0").Input("p");
        cut.Find("[data-testid='option-add-0']").Click();
        Control(cut, "option-value-0-2").Input("mixed");
        cut.Find("[data-testid='field-multiple-0']").Change(true);
        cut.Find("[data-testid='field-required-0']").Change(true);
        Control(cut, "field-description-0").Input("How does the writer feel?");
        AddField(cut, FieldKind.Rating);
        cut.Find("[data-testid='field-max-1']").Change("7");
        cut.Find("[data-testid='field-source-1']").Change("customer");
        AddField(cut, FieldKind.Ranking);
        cut.Find("[data-testid='response-add-2']").Click();
        cut.Find("[data-testid='response-2-3']").Change("prompt");

        var schema = JsonSchema(cut);

        var sentiment = schema.FindField("sentiment")!;
        Assert.True(sentiment.Multiple);
        Assert.True(sentiment.Required);
        Assert.Equal("How does the writer feel?", sentiment.Description);
        Assert.Equal(new LabelOption("positive", "#00aa00", "p"), sentiment.Options[0]);
        Assert.Equal(["positive", "no", "mixed"], sentiment.Options.Select(o => o.Value));
        Assert.Equal((7, "customer"), (schema.FindField("rating")!.Max, schema.FindField("rating")!.Source));
        Assert.Equal(["response_a", "response_b", "response_c", "prompt"], schema.FindField("ranking")!.Responses);
        Assert.Contains("No problems", Problems(cut), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_edits_rebuild_the_fields_and_field_edits_rewrite_the_json()
    {
        var cut = RenderDesigner();
        var json = """
            {"fields": [
              {"name": "sentiment", "kind": "choices", "source": "text", "required": true, "options": [{"value": "pos", "color": "#0a0", "hotkey": "1"}, "neg"]},
              {"name": "entities", "kind": "spans", "source": "text", "labels": ["PER", "ORG"]},
              {"name": "preference", "kind": "pairwise", "source": "prompt", "responses": ["response_a", "response_b"]}
            ]}
            """;

        cut.Find("[data-testid='schema-json']").Change(json);

        Assert.Equal(3, cut.FindAll("[data-testid^='field-card-']").Count);
        Assert.Equal("sentiment", Control(cut, "field-name-0").GetAttribute("value"));
        Assert.Equal("spans", cut.Find("[data-testid='field-kind-1']").GetAttribute("value"));
        Assert.Equal("ORG", cut.Find("[data-testid='option-value-1-1']").GetAttribute("value"));
        Assert.Equal("response_b", cut.Find("[data-testid='response-2-1']").GetAttribute("value"));

        Control(cut, "field-name-1").Input("names");
        cut.Find("[data-testid='field-up-1']").Click();

        var rewritten = JsonSchema(cut);
        Assert.Equal(["names", "sentiment", "preference"], rewritten.Fields.Select(f => f.Name));
        Assert.Equal(Parse(json) with { Fields = [Parse(json).Fields[1] with { Name = "names" }, Parse(json).Fields[0], Parse(json).Fields[2]] }, rewritten);
        Assert.Equal(LabelSchemaJson.Serialize(rewritten, indented: true), JsonText(cut));
    }

    [Fact]
    public void Json_that_is_not_a_schema_is_refused_and_the_fields_stay()
    {
        var cut = RenderDesigner(Parse(SchemaTemplates.All[0].Json));

        cut.Find("[data-testid='schema-json']").Change("""{"fields": [{"name": "x", "kind": "sparkle", "source": "text"}]}""");

        Assert.Contains("unknown kind \"sparkle\"", cut.Find("[data-testid='schema-json-error']").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid^='field-card-']"));
        Assert.Equal("sentiment", Control(cut, "field-name-0").GetAttribute("value"));
        Assert.True(cut.Find("[data-testid='schema-save']").HasAttribute("disabled"));

        cut.Find("[data-testid='schema-json']").Change("{ not json");
        Assert.Contains("not valid JSON", cut.Find("[data-testid='schema-json-error']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_errors_are_listed_by_field_as_the_lead_edits()
    {
        var cut = RenderDesigner(Parse("""
            {"fields": [
              {"name": "sentiment", "kind": "choices", "source": "text", "options": [{"value": "pos", "hotkey": "1"}, {"value": "neg", "hotkey": "2"}]},
              {"name": "topic", "kind": "choices", "source": "text", "options": ["a"]}
            ]}
            """));
        Assert.Contains("No problems", Problems(cut), StringComparison.Ordinal);

        Control(cut, "field-name-1").Input("sentiment");
        Control(cut, "option-hotkey-0-1").Input("1");
        Control(cut, "option-value-0-1").Input("pos");
        cut.Find("[data-testid='option-remove-1-0']").Click();

        var problems = Problems(cut);
        Assert.Contains("4 problems", problems, StringComparison.Ordinal);
        Assert.Contains("Field 1 “sentiment”", problems, StringComparison.Ordinal);
        Assert.Contains("options[1].value: duplicate value \"pos\"", problems, StringComparison.Ordinal);
        Assert.Contains("options[1].hotkey: duplicate hotkey \"1\"", problems, StringComparison.Ordinal);
        Assert.Contains("Field 2 “sentiment”", problems, StringComparison.Ordinal);
        Assert.Contains("name: duplicate field name \"sentiment\"", problems, StringComparison.Ordinal);
        Assert.Contains("needs at least one entry in \"options\"", problems, StringComparison.Ordinal);
        Assert.Contains("duplicate field name", cut.Find("[data-testid='field-problems-1']").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid='schema-save']").HasAttribute("disabled"));
        cut.Find("[data-testid='schema-save']").Click();
        Assert.Null(saved);
    }

    [Theory]
    [InlineData("""{"name": "w", "kind": "pairwise", "responses": ["response_a"]}""", "responses: a pairwise field needs exactly two responses, not 1")]
    [InlineData("""{"name": "r", "kind": "rating", "source": "text"}""", "max: a rating field needs \"max\"")]
    [InlineData("""{"name": "b", "kind": "boxes", "source": "image", "labels": [{"value": "car", "hotkey": "s"}]}""", "hotkey: \"s\" is reserved")]
    [InlineData("""{"name": "c", "kind": "choices", "source": "text", "options": [{"value": "a", "color": "red"}]}""", "color: a colour is #rgb or #rrggbb")]
    [InlineData("""{"name": "9x", "kind": "text", "source": "text"}""", "name: a field name may use letters")]
    [InlineData("""{"name": "t", "kind": "text"}""", "source: a text field must name the item data key")]
    public void Each_rule_names_the_field_that_breaks_it(string field, string expected)
    {
        var cut = RenderDesigner();

        cut.Find("[data-testid='schema-json']").Change($$"""{"fields": [{{field}}]}""");

        Assert.Contains(expected, Problems(cut), StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid='schema-save']").HasAttribute("disabled"));
    }

    [Fact]
    public void A_source_key_no_item_has_is_a_warning_and_saving_is_allowed()
    {
        var cut = RenderDesigner(warn: true);
        cut.Find("[data-testid='schema-json']").Change("""{"fields": [{"name": "t", "kind": "text", "source": "body"}]}""");

        Assert.Contains("warning: no item has the data key \"body\"", Problems(cut), StringComparison.Ordinal);
        Assert.Contains("No problems", Problems(cut), StringComparison.Ordinal);
        Assert.False(cut.Find("[data-testid='schema-save']").HasAttribute("disabled"));
    }

    [Fact]
    public void The_preview_follows_the_schema_and_uses_the_sample_item()
    {
        var sample = new JsonObject { ["text"] = "The battery died after a day." };
        var cut = RenderDesigner(Parse(SchemaTemplates.All.Single(t => t.Key == "sentiment").Json), sample);
        var preview = () => cut.Find("[data-testid='schema-preview']");

        Assert.Contains("The battery died after a day.", preview().TextContent, StringComparison.Ordinal);
        Assert.NotNull(preview().QuerySelector("[data-testid='label-option-positive']"));

        Control(cut, "option-value-0-0").Input("glowing");
        Assert.NotNull(preview().QuerySelector("[data-testid='label-option-glowing']"));
        Assert.Null(preview().QuerySelector("[data-testid='label-option-positive']"));

        AddField(cut, FieldKind.Rating);
        Assert.NotNull(preview().QuerySelector("[data-testid='field-rating']"));

        preview().QuerySelector("[data-testid='label-option-glowing']")!.Click();
        Assert.Contains("\"sentiment\":\"glowing\"", preview().QuerySelector("[data-testid='schema-preview-result']")!.TextContent, StringComparison.Ordinal);

        // While the schema has problems the preview keeps the last good one.
        Control(cut, "field-name-1").Input("sentiment");
        Assert.Contains("Showing the last schema without problems", preview().TextContent, StringComparison.Ordinal);
        Assert.NotNull(preview().QuerySelector("[data-testid='field-rating']"));
    }

    [Fact]
    public void The_preview_makes_up_an_item_when_the_project_has_none()
    {
        var cut = RenderDesigner(Parse("""{"fields": [{"name": "t", "kind": "text", "source": "body"}]}"""));

        Assert.Contains("Example body:", cut.Find("[data-testid='schema-preview']").TextContent, StringComparison.Ordinal);
        Assert.Contains("On a made-up item", cut.Find("[data-testid='schema-preview']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_move_and_go()
    {
        var cut = RenderDesigner();
        AddField(cut, FieldKind.Text);
        AddField(cut, FieldKind.Rating);
        AddField(cut, FieldKind.Spans);

        cut.Find("[data-testid='field-down-0']").Click();
        Assert.Equal(["rating", "text", "spans"], JsonSchema(cut).Fields.Select(f => f.Name));
        cut.Find("[data-testid='field-remove-1']").Click();
        Assert.Equal(["rating", "spans"], JsonSchema(cut).Fields.Select(f => f.Name));
        Assert.True(cut.Find("[data-testid='field-up-0']").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid='field-down-1']").HasAttribute("disabled"));
    }

    [Fact]
    public void Changing_a_kind_keeps_the_field_working()
    {
        var cut = RenderDesigner();
        AddField(cut, FieldKind.Text);

        cut.Find("[data-testid='field-kind-0']").Change("segments");

        var field = JsonSchema(cut).Fields.Single();
        Assert.Equal(FieldKind.Segments, field.Kind);
        Assert.NotEmpty(field.Options);
        Assert.Contains("No problems", Problems(cut), StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_replace_the_fields()
    {
        var cut = RenderDesigner();
        AddField(cut, FieldKind.Text);

        cut.Find("[data-testid='schema-template']").Change("preference");
        cut.Find("[data-testid='schema-template-apply']").Click();

        Assert.Equal(Parse(SchemaTemplates.All.Single(t => t.Key == "preference").Json), JsonSchema(cut));
        Assert.Equal(2, cut.FindAll("[data-testid^='field-card-']").Count);
    }

    [Fact]
    public void A_schema_file_imports_and_the_export_link_holds_the_json()
    {
        var cut = RenderDesigner();
        var json = SchemaTemplates.All.Single(t => t.Key == "ner").Json;

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(json, "ner.json", contentType: "application/json"));

        Assert.Equal(Parse(json), JsonSchema(cut));
        var href = cut.Find("[data-testid='schema-export']").GetAttribute("href")!;
        Assert.StartsWith("data:application/json;charset=utf-8,", href, StringComparison.Ordinal);
        Assert.Equal(Parse(json), Parse(Uri.UnescapeDataString(href["data:application/json;charset=utf-8,".Length..])));
    }

    [Fact]
    public void A_file_that_is_not_a_schema_is_reported()
    {
        var cut = RenderDesigner();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("[1, 2, 3]", "numbers.json"));

        Assert.Contains("numbers.json is not a schema", cut.Find("[data-testid='schema-import-error']").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid^='field-card-']"));
    }

    [Fact]
    public void The_change_panel_turns_choices_into_rename_merge_and_clear_migrations()
    {
        var old = Parse("""
            {"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["pos", "neg", "neutral", "mixed"]},
                        {"name": "notes", "kind": "text", "source": "text"}]}
            """);
        var @new = Parse("""{"fields": [{"name": "sentiment", "kind": "choices", "source": "text", "options": ["positive", "neg"]}]}""");
        var report = new SchemaChangeReport(
        [
            new(SchemaImpactKind.LabelRemoved, "sentiment", "pos", 3),
            new(SchemaImpactKind.LabelRemoved, "sentiment", "neutral", 2),
            new(SchemaImpactKind.LabelRemoved, "sentiment", "mixed", 1),
            new(SchemaImpactKind.FieldRemoved, "notes", null, 4),
        ], []);
        IReadOnlyList<SchemaMigration>? applied = null;
        var cut = ctx.Render<SchemaChangePanel>(p => p
            .Add(x => x.Preview, new SchemaChangePreview(report, 7, []))
            .Add(x => x.Old, old)
            .Add(x => x.New, @new)
            .Add(x => x.OnApply, m => applied = m));

        Assert.Contains("orphan 7 annotations", cut.Find("[data-testid='schema-change-refused']").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid='schema-migrate-save']").HasAttribute("disabled"));
        var choices = cut.Find("[data-testid='schema-impact-choice-0']").QuerySelectorAll("option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["", "rename:positive", "merge:neg", "clear"], choices);

        cut.Find("[data-testid='schema-impact-choice-0']").Change("rename:positive");
        cut.Find("[data-testid='schema-impact-choice-1']").Change("merge:neg");
        cut.Find("[data-testid='schema-impact-choice-2']").Change("merge:neg");
        cut.Find("[data-testid='schema-impact-choice-3']").Change("clear");
        cut.Find("[data-testid='schema-migrate-save']").Click();

        Assert.Equal<SchemaMigration>(
            [new ClearField("notes"), new RenameLabel("sentiment", "pos", "positive"), new MergeLabels("sentiment", ["neutral", "mixed"], "neg")],
            applied!);
    }
}
