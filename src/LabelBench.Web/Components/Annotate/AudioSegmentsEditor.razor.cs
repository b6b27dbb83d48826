using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace LabelBench.Web.Components.Annotate;

/// <summary>
/// The .NET side of the audio editor (<c>audio-editor.js</c>, wavesurfer.js): regions in seconds, a label and a
/// transcript each. The browser keeps the undo history and sends the finished list after each edit; transcripts typed
/// typed in the list are read by the browser module too (it listens to their input events), so undo covers them and a
/// quick Ctrl+Enter never submits without the last keystrokes.
/// </summary>
public sealed partial class AudioSegmentsEditor
{
    private static readonly double[] Rates = [0.5, 0.75, 1, 1.25, 1.5, 2];
    private ElementReference root;
    private BrowserEditor? editor;
    private DotNetObjectReference<AudioSegmentsEditor>? self;
    private JsonNode? shown;
    private bool shownOnce;
    private string? shownItemKey;
    private bool pushPending;
    private bool resetPending;
    private List<JsonObject> regions = [];
    private string? activeLabel;
    private int selectedIndex = -1;
    private bool playing;
    private double rate = 1;
    private double? mark;

    [Parameter, EditorRequired]
    public SchemaField Field { get; set; } = default!;

    [Parameter]
    public JsonNode? Value { get; set; }

    [Parameter]
    public EventCallback<JsonNode?> ValueChanged { get; set; }

    [Parameter, EditorRequired]
    public ItemMedia Media { get; set; } = default!;

    /// <summary>Changes with the item: a new key starts a new undo history.</summary>
    [Parameter]
    public string? ItemKey { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>The regions as listed (and as the browser orders them): by start, then end.</summary>
    public IReadOnlyList<JsonObject> Regions => regions;

    private string RateText => rate.ToString(CultureInfo.InvariantCulture);

    /// <summary>The regions of a value, ordered by start then end (stable), as the browser module keeps them.</summary>
    public static List<JsonObject> Ordered(JsonNode? value) =>
        (value is JsonArray a ? a.OfType<JsonObject>() : [])
            .Select((r, i) => (Region: r, Start: Seconds(r["start"]), End: Seconds(r["end"]), Index: i))
            .OrderBy(x => x.Start).ThenBy(x => x.End).ThenBy(x => x.Index)
            .Select(x => x.Region)
            .ToList();

    private static double Seconds(JsonNode? node) => ShapeText.TryNumber(node, out var d) ? d : 0;

    protected override void OnParametersSet()
    {
        var itemChanged = !string.Equals(shownItemKey, ItemKey, StringComparison.Ordinal);
        if (itemChanged || !shownOnce || !JsonNode.DeepEquals(shown, Value))
        {
            shown = Value?.DeepClone();
            shownOnce = true;
            pushPending = true;
        }

        if (itemChanged)
        {
            shownItemKey = ItemKey;
            selectedIndex = -1;
            mark = null;
            resetPending = true;
        }

        regions = Ordered(Value);
        activeLabel ??= Field.Options.Count > 0 ? Field.Options[0].Value : null;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                self = DotNetObjectReference.Create(this);
                editor = await BrowserEditor.AttachAsync(JS, "./js/audio-editor.js", root, self, Options(), MediaOptions(), RegionsForBrowser());
                pushPending = false;
                resetPending = false;
                return;
            }

            if (editor is { Attached: true } && pushPending)
            {
                var reset = resetPending;
                pushPending = false;
                resetPending = false;
                await editor.CallAsync("setRegions", RegionsForBrowser(), reset);
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
    }

    private object Options() => new
    {
        readOnly = ReadOnly,
        keyScope = "workspace",
        labels = Field.Options.Select(o => new { value = o.Value, color = LabelColors.For(Field, o.Value), hotkey = o.Hotkey }).ToArray(),
    };

    private object MediaOptions() => new { url = Media.Url, peaksUrl = Media.PeaksUrl, duration = Media.DurationSeconds };

    private JsonArray RegionsForBrowser() => new(regions.Select(r => (JsonNode)r.DeepClone()).ToArray());

    /// <summary>The finished region list after an edit in the browser (ordered by start).</summary>
    [JSInvokable]
    public async Task OnRegionsChanged(string regionsJson)
    {
        if (ReadOnly)
        {
            return;
        }

        JsonArray list;
        try
        {
            list = JsonNode.Parse(regionsJson) as JsonArray ?? [];
        }
        catch (JsonException)
        {
            return;
        }

        JsonNode? value = list.Count == 0 ? null : list;
        shown = value?.DeepClone();
        regions = Ordered(value);
        await ValueChanged.InvokeAsync(value);
        StateHasChanged();
    }

    /// <summary>The label of new regions, the selected region, playback and the pending start mark.</summary>
    [JSInvokable]
    public void OnEditorState(string? label, int selected, bool isPlaying, double playbackRate, double? startMark)
    {
        activeLabel = label;
        selectedIndex = selected;
        playing = isPlaying;
        rate = playbackRate;
        mark = startMark;
        StateHasChanged();
    }

    private async Task ChooseLabelAsync(string label)
    {
        activeLabel = label;
        await CallAsync("chooseLabel", label);
    }

    private async Task SelectAsync(int index)
    {
        selectedIndex = index;
        await CallAsync("select", index);
    }

    private async Task SetRateAsync(ChangeEventArgs e)
    {
        if (double.TryParse(e.Value as string, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && Rates.Contains(r))
        {
            rate = r;
            await CallAsync("setRate", r);
        }
    }

    private Task CallAsync(string method, params object?[] args) => editor?.CallAsync(method, args) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (editor is not null)
        {
            await editor.DisposeAsync();
        }

        self?.Dispose();
    }
}
