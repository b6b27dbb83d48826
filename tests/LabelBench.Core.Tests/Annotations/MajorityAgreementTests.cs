using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;
using LabelBench.Core.Tests.Schemas;

namespace LabelBench.Core.Tests.Annotations;

public class MajorityAgreementTests
{
    private static readonly LabelSchema Schema = SchemaSamples.AllKinds();

    private static JsonObject? Decide(AgreementRule rule, params string[] results) =>
        MajorityAgreement.Decide(Schema, results.Select(r => JsonNode.Parse(r)!.AsObject()).ToList(), rule);

    private static void AssertFinal(string expected, JsonObject? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual.ToJsonString()}");
    }

    [Fact]
    public void Unanimous_choices_give_the_final_result()
    {
        AssertFinal("""{"sentiment": "pos"}""", Decide(AgreementRule.Unanimous, """{"sentiment": "pos"}""", """{"sentiment": "pos"}""", """{"sentiment": "pos"}"""));
    }

    [Fact]
    public void Unanimous_rule_refuses_one_dissent()
    {
        Assert.Null(Decide(AgreementRule.Unanimous, """{"sentiment": "pos"}""", """{"sentiment": "pos"}""", """{"sentiment": "neg"}"""));
    }

    [Fact]
    public void Majority_rule_takes_more_than_half()
    {
        AssertFinal("""{"sentiment": "pos"}""", Decide(AgreementRule.Majority, """{"sentiment": "pos"}""", """{"sentiment": "neg"}""", """{"sentiment": "pos"}"""));
    }

    [Fact]
    public void Tie_is_no_majority()
    {
        Assert.Null(Decide(AgreementRule.Majority, """{"sentiment": "pos"}""", """{"sentiment": "neg"}"""));
        Assert.Null(Decide(AgreementRule.Majority, """{"sentiment": "pos"}""", """{"sentiment": "neg"}""", """{"sentiment": "neutral"}"""));
    }

    [Fact]
    public void One_undecided_field_leaves_the_item_without_a_final_result()
    {
        Assert.Null(Decide(AgreementRule.Majority,
            """{"sentiment": "pos", "quality": 3}""",
            """{"sentiment": "pos", "quality": 4}""",
            """{"sentiment": "pos", "quality": 5}"""));
    }

    [Fact]
    public void Every_simple_kind_is_decided_by_equal_values()
    {
        AssertFinal(
            """{"sentiment": "neg", "quality": 2, "summary": "short", "order": [1, 0, 2]}""",
            Decide(AgreementRule.Majority,
                """{"sentiment": "neg", "quality": 2, "summary": "short", "order": [1, 0, 2]}""",
                """{"sentiment": "neg", "quality": 2.0, "summary": "short", "order": [1, 0, 2]}""",
                """{"sentiment": "pos", "quality": 5, "summary": "Short", "order": [0, 1, 2]}"""));
    }

    [Fact]
    public void Ranking_order_matters()
    {
        Assert.Null(Decide(AgreementRule.Unanimous, """{"order": [0, 1, 2]}""", """{"order": [1, 0, 2]}"""));
    }

    [Fact]
    public void Multiple_choices_agree_as_sets()
    {
        AssertFinal("""{"topics": ["tech", "sport"]}""", Decide(AgreementRule.Unanimous, """{"topics": ["tech", "sport"]}""", """{"topics": ["sport", "tech"]}"""));
        Assert.Null(Decide(AgreementRule.Unanimous, """{"topics": ["tech", "sport"]}""", """{"topics": ["tech"]}"""));
    }

    [Fact]
    public void Pairwise_agrees_on_the_choice_and_keeps_a_shared_strength()
    {
        AssertFinal("""{"preference": {"choice": "B", "strength": 2}}""", Decide(AgreementRule.Majority,
            """{"preference": {"choice": "B", "strength": 2}}""",
            """{"preference": {"choice": "B", "strength": 2}}""",
            """{"preference": {"choice": "A", "strength": 3}}"""));

        AssertFinal("""{"preference": {"choice": "B"}}""", Decide(AgreementRule.Unanimous,
            """{"preference": {"choice": "B", "strength": 1}}""",
            """{"preference": {"choice": "B", "strength": 3}}"""));

        Assert.Null(Decide(AgreementRule.Unanimous, """{"preference": {"choice": "tie"}}""", """{"preference": {"choice": "A"}}"""));
    }

    [Fact]
    public void Structured_fields_agree_only_when_identical_in_any_order()
    {
        const string a = """{"objects": [{"x": 1, "y": 2, "width": 3, "height": 4, "label": "car"}, {"x": 10, "y": 20, "width": 3, "height": 4, "label": "person"}]}""";
        const string reordered = """{"objects": [{"label": "person", "x": 10, "y": 20, "width": 3, "height": 4}, {"x": 1, "y": 2, "width": 3, "height": 4, "label": "car"}]}""";
        const string offByOne = """{"objects": [{"x": 2, "y": 2, "width": 3, "height": 4, "label": "car"}, {"x": 10, "y": 20, "width": 3, "height": 4, "label": "person"}]}""";

        AssertFinal(a, Decide(AgreementRule.Unanimous, a, reordered));
        Assert.Null(Decide(AgreementRule.Unanimous, a, offByOne));
        AssertFinal(a, Decide(AgreementRule.Majority, a, reordered, offByOne));
    }

    [Theory]
    [InlineData("entities", """[{"start": 0, "end": 2, "label": "PER"}]""")]
    [InlineData("areas", """[{"points": [[0, 0], [1, 0], [1, 1]], "label": "road"}]""")]
    [InlineData("landmarks", """[{"x": 1, "y": 1, "label": "nose"}]""")]
    [InlineData("speech", """[{"start": 0.5, "end": 1.5, "label": "speech", "text": "hi"}]""")]
    public void Each_structured_kind_agrees_when_identical(string field, string value)
    {
        var result = $$"""{"{{field}}": {{value}}}""";

        AssertFinal(result, Decide(AgreementRule.Unanimous, result, result));
        Assert.Null(Decide(AgreementRule.Unanimous, result, "{}"));
    }

    [Fact]
    public void Empty_is_a_vote_and_an_empty_winner_leaves_the_field_out()
    {
        AssertFinal("""{"sentiment": "pos"}""", Decide(AgreementRule.Majority,
            """{"sentiment": "pos", "summary": ""}""",
            """{"sentiment": "pos", "topics": []}""",
            """{"sentiment": "pos", "summary": "extra", "topics": null}"""));

        Assert.Null(Decide(AgreementRule.Unanimous, """{"sentiment": "pos", "summary": "x"}""", """{"sentiment": "pos"}"""));
    }

    [Fact]
    public void Fields_outside_the_schema_are_ignored()
    {
        AssertFinal("""{"sentiment": "pos"}""", Decide(AgreementRule.Unanimous, """{"sentiment": "pos", "old": 1}""", """{"sentiment": "pos", "old": 2}"""));
    }

    [Fact]
    public void No_results_means_no_final_result()
    {
        Assert.Null(MajorityAgreement.Decide(Schema, [], AgreementRule.Majority));
    }

    [Fact]
    public void Single_result_agrees_with_itself()
    {
        AssertFinal("""{"sentiment": "neg"}""", Decide(AgreementRule.Unanimous, """{"sentiment": "neg"}"""));
    }

    [Fact]
    public void Final_result_is_a_copy_not_the_annotators_nodes()
    {
        var results = new List<JsonObject> { new() { ["objects"] = JsonNode.Parse("""[{"x": 1, "y": 1, "width": 1, "height": 1, "label": "car"}]""") } };

        var final = MajorityAgreement.Decide(Schema, results, AgreementRule.Unanimous)!;
        final["objects"]!.AsArray().Clear();

        Assert.Single(results[0]["objects"]!.AsArray());
    }
}
