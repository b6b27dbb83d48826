using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace LabelBench.Web.Components.Annotate;

/// <summary>
/// The ranking editor. The value is the response indexes best first (CONTRACT.md); until the annotator orders or
/// confirms, there is no value, so a shuffled starting order is never stored by accident.
/// </summary>
public sealed partial class RankingField
{
    [Parameter, EditorRequired]
    public SchemaField Field { get; set; } = default!;

    [Parameter, EditorRequired]
    public JsonObject Data { get; set; } = default!;

    /// <summary>The order shown before the annotator ranks (a shuffle per annotator and item, see PresentationOrder).</summary>
    [Parameter]
    public IReadOnlyList<int>? InitialOrder { get; set; }

    [Parameter]
    public JsonNode? Value { get; set; }

    [Parameter]
    public EventCallback<JsonNode?> ValueChanged { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private readonly string idPrefix = "rank-" + Guid.NewGuid().ToString("N")[..8];
    private ElementReference list;
    private IJSObjectReference? module;
    private IJSObjectReference? handle;
    private DotNetObjectReference<RankingField>? self;
    private List<int> order = [];
    private int selected;

    /// <summary>The order shown, as response indexes best first.</summary>
    public IReadOnlyList<int> Order => order;

    private bool Ranked => Read(Value) is not null;

    protected override void OnParametersSet()
    {
        var n = Field.Responses.Count;
        var shown = Read(Value)
            ?? (InitialOrder is { } initial && initial.Order().SequenceEqual(Enumerable.Range(0, n)) ? initial.ToList() : Enumerable.Range(0, n).ToList());
        if (!shown.SequenceEqual(order))
        {
            order = shown;
        }

        selected = Math.Clamp(selected, 0, Math.Max(0, n - 1));
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            self = DotNetObjectReference.Create(this);
            module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/ranking-list.js");
            handle = module is null ? null : await module.InvokeAsync<IJSObjectReference>("attach", list, self);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to attach to.
        }
    }

    /// <summary>A drag finished: the entry at <paramref name="from"/> now sits at <paramref name="to"/>.</summary>
    [JSInvokable]
    public Task OnDrop(int from, int to) => MoveAsync(from, to);

    /// <summary>A key on the focused list: up/down/first/last choose, move-* move the chosen entry.</summary>
    [JSInvokable]
    public async Task OnKey(string command)
    {
        var last = order.Count - 1;
        switch (command)
        {
            case "up":
                Select(selected - 1);
                break;
            case "down":
                Select(selected + 1);
                break;
            case "first":
                Select(0);
                break;
            case "last":
                Select(last);
                break;
            case "move-up":
                await MoveAsync(selected, selected - 1);
                break;
            case "move-down":
                await MoveAsync(selected, selected + 1);
                break;
            case "move-first":
                await MoveAsync(selected, 0);
                break;
            case "move-last":
                await MoveAsync(selected, last);
                break;
            default:
                break;
        }
    }

    /// <summary>Moves the entry at <paramref name="from"/> to <paramref name="to"/> (both positions on screen); the chosen entry follows it.</summary>
    public async Task MoveAsync(int from, int to)
    {
        if (ReadOnly || from < 0 || from >= order.Count)
        {
            return;
        }

        to = Math.Clamp(to, 0, order.Count - 1);
        var next = order.ToList();
        var moved = next[from];
        next.RemoveAt(from);
        next.Insert(to, moved);
        order = next;
        selected = to;
        await ValueChanged.InvokeAsync(ToJson(next));
    }

    /// <summary>Stores the order shown as the ranking.</summary>
    public Task KeepOrderAsync() => ReadOnly ? Task.CompletedTask : ValueChanged.InvokeAsync(ToJson(order));

    private void Select(int position)
    {
        selected = Math.Clamp(position, 0, Math.Max(0, order.Count - 1));
        StateHasChanged();
    }

    private List<int>? Read(JsonNode? value)
    {
        if (value is not JsonArray array || array.Count != Field.Responses.Count)
        {
            return null;
        }

        var indexes = new List<int>();
        foreach (var node in array)
        {
            if (!JsonInts.TryGet(node, out var i) || i < 0 || i >= Field.Responses.Count || indexes.Contains(i))
            {
                return null;
            }

            indexes.Add(i);
        }

        return indexes;
    }

    private static JsonArray ToJson(IEnumerable<int> order) => new(order.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    private static string Display(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (handle is not null)
            {
                await handle.InvokeVoidAsync("dispose");
                await handle.DisposeAsync();
            }

            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone, and the module with it.
        }

        self?.Dispose();
    }
}
