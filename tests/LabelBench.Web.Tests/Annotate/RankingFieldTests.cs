using System.Text.Json.Nodes;
using Bunit;
using LabelBench.Core.Schemas;
using LabelBench.Web.Components.Annotate;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LabelBench.Web.Tests.Annotate;

/// <summary>Ranking: response indexes best first; the shuffled start is never stored until the annotator ranks.</summary>
public sealed class RankingFieldTests : BunitContext
{
    private static readonly SchemaField Field = new() { Name = "order", Kind = FieldKind.Ranking, Source = "prompt", Responses = ["r0", "r1", "r2"] };

    private static readonly JsonObject Data = new() { ["prompt"] = "Best summary?", ["r0"] = "zero", ["r1"] = "one", ["r2"] = "two" };

    private JsonNode? value;

    public RankingFieldTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private IRenderedComponent<RankingField> RenderField(int[] initial, string? json = null)
    {
        value = json is null ? null : JsonNode.Parse(json);
        return Render<RankingField>(ps => ps
            .Add(p => p.Field, Field)
            .Add(p => p.Data, Data)
            .Add(p => p.InitialOrder, initial)
            .Add(p => p.Value, value)
            .Add(p => p.ValueChanged, (JsonNode? v) => value = v));
    }

    private static int[] Indexes(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<int>()).ToArray();

    [Fact]
    public void The_shuffled_start_is_shown_but_not_stored()
    {
        var cut = RenderField([2, 0, 1]);

        Assert.Equal(["2", "0", "1"], cut.FindAll("li[data-response]").Select(li => li.GetAttribute("data-response")));
        Assert.Contains("Not ranked yet", cut.Find("[data-testid=ranking-status]").TextContent, StringComparison.Ordinal);
        Assert.Null(value);
    }

    [Fact]
    public async Task Keys_choose_an_entry_and_alt_arrows_move_it()
    {
        var cut = RenderField([2, 0, 1]);

        await cut.InvokeAsync(() => cut.Instance.OnKey("down"));
        await cut.InvokeAsync(() => cut.Instance.OnKey("move-up"));

        Assert.Equal([0, 2, 1], Indexes(value));
        cut.Render(ps => ps.Add(p => p.Value, value));
        Assert.Equal(["0", "2", "1"], cut.FindAll("li[data-response]").Select(li => li.GetAttribute("data-response")));
        Assert.Contains("Ranked", cut.Find("[data-testid=ranking-status]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Instance.OnKey("move-last"));
        Assert.Equal([2, 1, 0], Indexes(value));
    }

    [Fact]
    public async Task A_drop_moves_the_dragged_response()
    {
        var cut = RenderField([2, 0, 1]);

        await cut.InvokeAsync(() => cut.Instance.OnDrop(0, 2));

        Assert.Equal([0, 1, 2], Indexes(value));
    }

    [Fact]
    public void Keep_this_order_stores_the_order_shown()
    {
        var cut = RenderField([1, 2, 0]);

        cut.Find("[data-testid=ranking-keep-order]").Click();

        Assert.Equal([1, 2, 0], Indexes(value));
    }

    [Fact]
    public void A_stored_ranking_wins_over_the_shuffle()
    {
        var cut = RenderField([2, 0, 1], "[1, 0, 2]");

        Assert.Equal(["1", "0", "2"], cut.FindAll("li[data-response]").Select(li => li.GetAttribute("data-response")));
    }
}
