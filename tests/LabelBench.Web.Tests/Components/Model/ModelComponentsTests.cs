using Bunit;
using LabelBench.Core.ActiveLearning;
using LabelBench.Web.Components.Model;
using MudBlazor.Services;

namespace LabelBench.Web.Tests.Components.Model;

public sealed class ModelComponentsTests : BunitContext, IAsyncLifetime
{
    public ModelComponentsTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void Versions_table_shows_agreement_and_accepted_unchanged_per_version()
    {
        var cut = Render<ModelVersionsTable>(p => p.Add(c => c.Versions,
        [
            new ModelVersionAgreement("builtin-text-v1", 40, 8, 6, 0.75, 10, 4, 0.4, null),
            new ModelVersionAgreement("ext-v2", 5, 0, 0, null, 0, 0, null, null),
        ]));

        var rows = cut.FindAll("[data-testid=model-versions] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("builtin-text-v1", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("0.75", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("6 / 8", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("0.40", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("(4 / 10)", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("–", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_table_says_when_there_are_no_predictions()
    {
        var cut = Render<ModelVersionsTable>(p => p.Add(c => c.Versions, []));
        Assert.Empty(cut.FindAll("[data-testid=model-versions]"));
        Assert.Contains("No model predictions yet", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Learning_curve_draws_a_point_per_training_size()
    {
        var cut = Render<LearningCurveChart>(p => p.Add(c => c.Points,
            [new LearningCurvePoint(12, 0.5), new LearningCurvePoint(24, 0.7), new LearningCurvePoint(36, 0.9)]));

        Assert.Equal(3, cut.FindAll("[data-testid=model-learning-curve] circle").Count);
        Assert.Contains("36 labels", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("24 labels: accuracy 0.70", cut.Markup, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
