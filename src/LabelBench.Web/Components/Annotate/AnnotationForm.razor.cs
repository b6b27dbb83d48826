using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using Microsoft.AspNetCore.Components;

namespace LabelBench.Web.Components.Annotate;

/// <summary>Editors for a schema's fields over one result; also routes the workspace's keys to them.</summary>
public sealed partial class AnnotationForm
{
    private readonly Dictionary<string, SpansField> spanEditors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PairwiseField> pairwiseEditors = new(StringComparer.Ordinal);
    private WorkspaceKeymap? keymap;
    private IReadOnlyList<SchemaField>? keymapFields;

    [Parameter, EditorRequired]
    public LabelSchema Schema { get; set; } = default!;

    /// <summary>The fields to show (default: all of the schema's).</summary>
    [Parameter]
    public IReadOnlyList<SchemaField>? Fields { get; set; }

    /// <summary>The result being edited; the form never mutates it, it raises a new object.</summary>
    [Parameter, EditorRequired]
    public JsonObject Value { get; set; } = default!;

    [Parameter]
    public EventCallback<JsonObject> ValueChanged { get; set; }

    [Parameter]
    public IReadOnlySet<string> PredictedFields { get; set; } = new HashSet<string>();

    /// <summary>The item's data, which spans, pairwise and ranking editors show; without it they fall back to JSON.</summary>
    [Parameter]
    public JsonObject? Data { get; set; }

    /// <summary>Who looks at which item, for the per-annotator order of responses.</summary>
    [Parameter]
    public ItemPresentation? Presentation { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    /// <summary>The item's image or audio, which the image and audio editors draw on; without it they fall back to JSON.</summary>
    [Parameter]
    public ItemMedia? Media { get; set; }

    /// <summary>Which item (or history entry) is shown: editors start a new undo history when it changes.</summary>
    [Parameter]
    public string? ItemKey { get; set; }

    /// <summary>The image fields, all drawn in one image editor (one layer each).</summary>
    private List<SchemaField> ImageFields => Shown.Where(f => f.Kind.IsImageKind()).ToList();

    private bool HostsImageEditor(SchemaField field) => Media is { IsImage: true } && field.Kind.IsImageKind() && ImageFields[0] == field;

    /// <summary>An image field after the first: its layer is in the first one's editor.</summary>
    private bool DrawnWithAnother(SchemaField field) => Media is { IsImage: true } && field.Kind.IsImageKind() && ImageFields[0] != field;

    private IReadOnlyList<SchemaField> Shown => Fields ?? Schema.Fields;

    /// <summary>Kinds whose editor shows the item's data itself, so the workspace places them where the item is.</summary>
    public static bool ShowsItem(SchemaField field) =>
        field.Kind is FieldKind.Spans or FieldKind.Pairwise or FieldKind.Ranking or FieldKind.Segments || field.Kind.IsImageKind();

    /// <summary>The keys this form's fields answer to (the workspace forwards only these).</summary>
    public IReadOnlyCollection<string> Keys => Keymap.Keys;

    private WorkspaceKeymap Keymap
    {
        get
        {
            if (keymap is null || !ReferenceEquals(keymapFields, Shown))
            {
                keymapFields = Shown;
                keymap = WorkspaceKeymap.For(Shown);
            }

            return keymap;
        }
    }

    /// <summary>Applies a hotkey to the first field it fits; false when none took it.</summary>
    public async Task<bool> HandleKeyAsync(string key)
    {
        if (ReadOnly)
        {
            return false;
        }

        foreach (var binding in Keymap.Find(key))
        {
            switch (binding.Action)
            {
                case KeyAction.SpanLabel:
                    if (spanEditors.TryGetValue(binding.Field.Name, out var spans) && spans.HasTarget && await spans.LabelAsync(binding.Value!))
                    {
                        return true;
                    }

                    break;
                case KeyAction.ToggleChoice:
                    await SetAsync(binding.Field.Name, ChoiceValues.Toggle(binding.Field, Value[binding.Field.Name], binding.Value!));
                    return true;
                case KeyAction.PairwiseSide when pairwiseEditors.TryGetValue(binding.Field.Name, out var pairwise):
                    await pairwise.ChooseSideAsync(binding.Value!);
                    return true;
                case KeyAction.PairwiseStrength when pairwiseEditors.TryGetValue(binding.Field.Name, out var pairwise):
                    await pairwise.SetStrengthAsync(binding.Number);
                    return true;
                case KeyAction.Rating:
                    await SetAsync(binding.Field.Name, JsonValue.Create(binding.Number));
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>Delete: removes the picked span, if any.</summary>
    public async Task<bool> DeleteAsync()
    {
        foreach (var editor in spanEditors.Values)
        {
            if (await editor.DeleteActiveAsync())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Escape: drops text selections and picked spans.</summary>
    public bool ClearSelections() => spanEditors.Values.Aggregate(false, (had, editor) => editor.ClearSelection() | had);

    /// <summary>Puts the keyboard in the first text to mark spans in, if the form has one.</summary>
    public async Task<bool> FocusTextAsync()
    {
        var first = Shown.FirstOrDefault(f => f.Kind == FieldKind.Spans && spanEditors.ContainsKey(f.Name));
        if (first is null)
        {
            return false;
        }

        await spanEditors[first.Name].FocusAsync();
        return true;
    }

    private string TextOf(SchemaField field) =>
        field.Source is { } key && Data?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    private Task SetFieldAsync(FieldEdit edit) => SetAsync(edit.Field, edit.Value);

    private Task SetAsync(string field, JsonNode? value)
    {
        var next = (JsonObject)Value.DeepClone();
        if (value is null)
        {
            next.Remove(field);
        }
        else
        {
            next[field] = value.DeepClone();
        }

        return ValueChanged.InvokeAsync(next);
    }
}
