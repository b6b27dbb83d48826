using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace LabelBench.Web.Components.Annotate;

/// <summary>
/// The .NET side of the image editor (<c>image-editor.js</c>): it hands the browser the fields' shapes as layers, and
/// hears back a layer's finished shape list after each edit (mouse-up, key, undo), which it raises as a
/// <see cref="FieldEdit"/>. Coordinates are original-image pixels (CONTRACT.md) whatever the zoom.
/// </summary>
public sealed partial class ImageRegionsEditor
{
    private readonly Dictionary<string, LayerState> layerStates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> shown = new(StringComparer.Ordinal);
    private ElementReference root;
    private BrowserEditor? editor;
    private DotNetObjectReference<ImageRegionsEditor>? self;
    private string? shownItemKey;
    private bool? shownReadOnly;
    private bool pushPending;
    private bool resetPending;
    private string? activeField;
    private string? activeLabel;
    private string? selectedField;
    private int selectedIndex = -1;
    private bool drawing;

    /// <summary>The schema's image fields (boxes, polygons, keypoints) drawn on this image.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<SchemaField> Fields { get; set; } = [];

    /// <summary>The whole result; the editor reads its image fields.</summary>
    [Parameter, EditorRequired]
    public JsonObject Value { get; set; } = default!;

    [Parameter]
    public EventCallback<FieldEdit> FieldChanged { get; set; }

    [Parameter, EditorRequired]
    public ItemMedia Media { get; set; } = default!;

    /// <summary>Changes with the item: a new key starts a new undo history and fits the image again.</summary>
    [Parameter]
    public string? ItemKey { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    [Parameter]
    public string Caption { get; set; } = "the item's image";

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    /// <summary>What the browser is told about a layer (a field): shown or hidden, locked or not.</summary>
    private sealed class LayerState
    {
        public bool Visible { get; set; } = true;

        public bool Locked { get; set; }
    }

    /// <summary>The browser module's name for a field kind's tool.</summary>
    public static string ToolKind(FieldKind kind) => kind switch
    {
        FieldKind.Boxes => "box",
        FieldKind.Polygons => "polygon",
        _ => "point",
    };

    private static string ToolName(FieldKind kind) => kind switch
    {
        FieldKind.Boxes => "boxes",
        FieldKind.Polygons => "polygons",
        _ => "keypoints",
    };

    private string Hint => Fields.FirstOrDefault(f => f.Name == activeField)?.Kind switch
    {
        FieldKind.Boxes => "Drag to draw a box; drag a box or its corners to change it.",
        FieldKind.Polygons => drawing ? "Click the next point; click the first point, double-click or Enter to close; Esc cancels." : "Click point by point to draw a polygon.",
        FieldKind.Keypoints => "Click to place a point; drag it to move it.",
        _ => "Choose a label to draw.",
    } + " Wheel or +/− zooms, right-drag or Alt+drag pans, 0 fits.";

    private LayerState Layer(string field)
    {
        if (!layerStates.TryGetValue(field, out var state))
        {
            layerStates[field] = state = new LayerState();
        }

        return state;
    }

    /// <summary>A field's shapes as objects (anything else in the value is left out of the drawing).</summary>
    private List<JsonObject> ShapesOf(string field) => Value[field] is JsonArray a ? a.OfType<JsonObject>().ToList() : [];

    protected override void OnParametersSet()
    {
        var itemChanged = !string.Equals(shownItemKey, ItemKey, StringComparison.Ordinal);
        var changed = itemChanged;
        foreach (var field in Fields)
        {
            if (!shown.TryGetValue(field.Name, out var known) || !JsonNode.DeepEquals(known, Value[field.Name]))
            {
                shown[field.Name] = Value[field.Name]?.DeepClone();
                changed = true;
            }
        }

        if (itemChanged)
        {
            shownItemKey = ItemKey;
            selectedField = null;
            selectedIndex = -1;
            resetPending = true;
        }

        if (activeField is null && Fields.FirstOrDefault(f => f.Options.Count > 0) is { } first)
        {
            activeField = first.Name;
            activeLabel = first.Options[0].Value;
        }

        pushPending |= changed;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                self = DotNetObjectReference.Create(this);
                editor = await BrowserEditor.AttachAsync(JS, "./js/image-editor.js", root, self, Options(), Layers());
                shownReadOnly = ReadOnly;
                pushPending = false;
                resetPending = false;
                return;
            }

            if (editor is not { Attached: true })
            {
                return;
            }

            if (shownReadOnly != ReadOnly)
            {
                shownReadOnly = ReadOnly;
                await editor.CallAsync("update", Options());
                pushPending = true;
            }

            if (pushPending)
            {
                var reset = resetPending;
                pushPending = false;
                resetPending = false;
                await editor.CallAsync("setLayers", Layers(), reset);
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to draw on.
        }
    }

    private object Options() => new
    {
        width = Media.Width ?? 0,
        height = Media.Height ?? 0,
        readOnly = ReadOnly,
        keyScope = "workspace",
        labels = Fields.SelectMany(f => f.Options.Select(o => new { layer = f.Name, value = o.Value, color = LabelColors.For(f, o.Value), hotkey = o.Hotkey })).ToArray(),
    };

    private object[] Layers() => Fields.Select(f => (object)new
    {
        id = f.Name,
        name = f.Name,
        kind = ToolKind(f.Kind),
        editable = !ReadOnly,
        visible = Layer(f.Name).Visible,
        locked = Layer(f.Name).Locked,
        shapes = new JsonArray(ShapesOf(f.Name).Select(s => (JsonNode)s.DeepClone()).ToArray()),
    }).ToArray();

    /// <summary>A layer's finished shapes after an edit in the browser.</summary>
    [JSInvokable]
    public async Task OnShapesChanged(string layer, string shapesJson)
    {
        if (ReadOnly || Fields.All(f => f.Name != layer))
        {
            return;
        }

        JsonArray shapes;
        try
        {
            shapes = JsonNode.Parse(shapesJson) as JsonArray ?? [];
        }
        catch (JsonException)
        {
            return;
        }

        JsonNode? value = shapes.Count == 0 ? null : shapes;
        shown[layer] = value?.DeepClone();
        await FieldChanged.InvokeAsync(new FieldEdit(layer, value));
    }

    /// <summary>The label new shapes get and the selected shape, for the buttons and the shape list.</summary>
    [JSInvokable]
    public void OnEditorState(string? layer, string? label, string? selectedLayer, int selected, bool isDrawing)
    {
        activeField = layer;
        activeLabel = label;
        selectedField = selectedLayer;
        selectedIndex = selected;
        drawing = isDrawing;
        StateHasChanged();
    }

    private async Task ChooseLabelAsync(string field, string label)
    {
        activeField = field;
        activeLabel = label;
        await CallAsync("chooseLabel", field, label);
    }

    private async Task SelectAsync(string field, int index)
    {
        selectedField = field;
        selectedIndex = index;
        await CallAsync("select", field, index);
    }

    private async Task ToggleVisibleAsync(string field)
    {
        var state = Layer(field);
        state.Visible = !state.Visible;
        await CallAsync("setLayerState", field, state.Visible, state.Locked);
    }

    private async Task ToggleLockedAsync(string field)
    {
        var state = Layer(field);
        state.Locked = !state.Locked;
        await CallAsync("setLayerState", field, state.Visible, state.Locked);
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
