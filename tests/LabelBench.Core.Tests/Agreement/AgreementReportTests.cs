using System.Text.Json.Nodes;
using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class AgreementReportTests
{
    [Fact]
    public void One_metric_gives_the_contract_object()
    {
        var set = Sets.FromContingencyTable(["Yes", "No"], [[20, 5], [10, 15]]);

        var json = AgreementReport.Compute(set, "cohen-kappa");

        Assert.Equal(
            """{"metric":"cohen-kappa","value":0.4,"items":50,"annotators":2,"judgements":100,"weights":"none","observedAgreement":0.7,"expectedAgreement":0.5}""",
            json.ToJsonString());
    }

    [Fact]
    public void All_lists_every_metric_that_applies_and_says_why_others_were_skipped()
    {
        var json = AgreementReport.Compute(KrippendorffAlphaTests.Krippendorff2011Example(), "all", level: "interval");

        var metrics = json["metrics"]!.AsArray();
        Assert.Equal(["percent-agreement", "krippendorff-alpha"], metrics.Select(m => m!["metric"]!.GetValue<string>()));
        var alpha = metrics[1]!;
        Assert.Equal(951.0 / 1120, alpha["value"]!.GetValue<double>(), 13);
        Assert.Equal("interval", alpha["level"]!.GetValue<string>());
        Assert.Equal((11, 4, 40), (alpha["items"]!.GetValue<int>(), alpha["annotators"]!.GetValue<int>(), alpha["judgements"]!.GetValue<int>()));
        var skipped = json["skipped"]!.AsArray().Select(s => s!["metric"]!.GetValue<string>());
        Assert.Equal(["cohen-kappa", "scotts-pi", "fleiss-kappa"], skipped);
    }

    [Fact]
    public void All_on_two_annotators_includes_every_metric()
    {
        var json = AgreementReport.Compute(Sets.FromContingencyTable(["Yes", "No"], [[20, 5], [10, 15]]));

        Assert.Equal(5, json["metrics"]!.AsArray().Count);
        Assert.Empty(json["skipped"]!.AsArray());
    }

    [Fact]
    public void An_undefined_value_is_null_with_a_note()
    {
        var json = AgreementReport.Compute(Sets.FromVectors(["y", "y"], ["y", "y"]), "scotts-pi");

        Assert.Null(json["value"]);
        Assert.True(json.ContainsKey("value"));
        Assert.NotNull(json["note"]);
    }

    [Fact]
    public void Unknown_options_and_empty_input_are_clear_errors()
    {
        var set = Sets.FromVectors(["a"], ["a"]);

        Assert.Contains("unknown metric 'kappa'", Assert.Throws<AgreementException>(() => AgreementReport.Compute(set, "kappa")).Message, StringComparison.Ordinal);
        Assert.Contains("unknown level", Assert.Throws<AgreementException>(() => AgreementReport.Compute(set, level: "cardinal")).Message, StringComparison.Ordinal);
        Assert.Contains("unknown weights", Assert.Throws<AgreementException>(() => AgreementReport.Compute(set, weights: "cubic")).Message, StringComparison.Ordinal);
        Assert.Contains("no judgements", Assert.Throws<AgreementException>(() => AgreementReport.Compute(new JudgementSetBuilder().Build())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metric_that_does_not_apply_is_an_error_when_asked_for_alone()
    {
        var error = Assert.Throws<AgreementException>(() => AgreementReport.Compute(KrippendorffAlphaTests.Krippendorff2011Example(), "cohen-kappa"));

        Assert.Contains("exactly two annotators", error.Message, StringComparison.Ordinal);
        Assert.IsType<JsonObject>(AgreementReport.Compute(KrippendorffAlphaTests.Krippendorff2011Example(), "krippendorff-alpha", "ratio"));
    }
}
