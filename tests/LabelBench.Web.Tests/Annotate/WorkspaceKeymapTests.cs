using LabelBench.Core.Schemas;
using LabelBench.Web.Components.Annotate;

namespace LabelBench.Web.Tests.Annotate;

public sealed class WorkspaceKeymapTests
{
    private static readonly SchemaField Choices = new() { Name = "sentiment", Kind = FieldKind.Choices, Options = [new("pos", null, "1"), new("neg", null, "2"), new("skip", null, "s")] };
    private static readonly SchemaField Spans = new() { Name = "entities", Kind = FieldKind.Spans, Options = [new("PER", null, "p"), new("POS", null, "1")] };
    private static readonly SchemaField Rating = new() { Name = "quality", Kind = FieldKind.Rating, Max = 5 };
    private static readonly SchemaField Pairwise = new() { Name = "pref", Kind = FieldKind.Pairwise, Responses = ["a", "b"] };

    [Fact]
    public void Every_hotkey_is_bound_and_span_labels_come_first()
    {
        var map = WorkspaceKeymap.For([Choices, Spans]);

        Assert.Equal([KeyAction.SpanLabel, KeyAction.ToggleChoice], map.Find("1").Select(b => b.Action));
        Assert.Equal("PER", Assert.Single(map.Find("P")).Value);
    }

    [Fact]
    public void The_workspaces_own_keys_are_never_bound()
    {
        var map = WorkspaceKeymap.For([Choices]);

        Assert.DoesNotContain("s", map.Keys);
        Assert.Empty(map.Find("s"));
    }

    [Fact]
    public void Pairwise_takes_1_2_3_and_shift_digits_and_rating_keeps_the_free_digits()
    {
        var map = WorkspaceKeymap.For([Pairwise, Rating]);

        Assert.Equal("left", Assert.Single(map.Find("1")).Value);
        Assert.Equal("tie", Assert.Single(map.Find("3")).Value);
        Assert.Equal(KeyAction.PairwiseStrength, Assert.Single(map.Find("shift+2")).Action);
        Assert.Equal(KeyAction.Rating, Assert.Single(map.Find("4")).Action);
        Assert.Equal(5, Assert.Single(map.Find("5")).Number);
        Assert.Empty(map.Find("6"));
    }
}
