using System.Globalization;
using System.Text.Json.Nodes;
using LabelBench.Core.Schemas;
using LabelBench.Core.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.JSInterop;

namespace LabelBench.Web.Components.Annotate;

/// <summary>
/// The spans editor. Offsets are stored in code points (CONTRACT.md, like Python's str); the browser module
/// (<c>text-spans.js</c>) works in UTF-16 units, and this component converts at the boundary with <see cref="CodePoints"/>.
/// </summary>
public sealed partial class SpansField
{
    private const int ExcerptLength = 40;

    [Parameter, EditorRequired]
    public SchemaField Field { get; set; } = default!;

    /// <summary>The text the spans are over (the item data key the field reads).</summary>
    [Parameter, EditorRequired]
    public string Text { get; set; } = string.Empty;

    [Parameter]
    public JsonNode? Value { get; set; }

    [Parameter]
    public EventCallback<JsonNode?> ValueChanged { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    private ElementReference textElement;
    private ElementReference caretLayer;
    private IJSObjectReference? module;
    private IJSObjectReference? handle;
    private DotNetObjectReference<SpansField>? self;
    private string? shownText;
    private JsonNode? shownValue;
    private bool? shownReadOnly;
    private int[] offsets = [0];
    private List<SpanValue> spans = [];
    private IReadOnlyList<TextSegment> segments = [];
    private (int Start, int End)? pending;
    private SpanValue? active;
    private int? lastClickAt;
    private bool focusRequested;
    private bool caretResetPending;

    /// <summary>Whether a label key now has something to act on (a selection, or a span picked by click or caret).</summary>
    public bool HasTarget => !ReadOnly && (pending is not null || active is not null);

    /// <summary>The spans as shown, in code points.</summary>
    public IReadOnlyList<SpanValue> Spans => spans;

    protected override void OnParametersSet()
    {
        var textChanged = shownText != Text;
        if (textChanged)
        {
            shownText = Text;
            offsets = CodePoints.Utf16Offsets(Text);
            pending = null;
            active = null;
            lastClickAt = null;
            caretResetPending = handle is not null;
        }

        if (textChanged || !JsonNode.DeepEquals(shownValue, Value))
        {
            shownValue = Value?.DeepClone();
            spans = SpanSegments.Read(Value);
            segments = SpanSegments.Build(Text.Length, SpanSegments.Views(spans, offsets));
            if (active is not null && !spans.Contains(active))
            {
                active = null;
            }
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                self = DotNetObjectReference.Create(this);
                module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/text-spans.js");
                handle = module is null ? null : await module.InvokeAsync<IJSObjectReference>("attach", textElement, caretLayer, self, Options());
                shownReadOnly = ReadOnly;
            }
            else if (handle is not null && shownReadOnly != ReadOnly)
            {
                shownReadOnly = ReadOnly;
                await handle.InvokeVoidAsync("update", Options());
            }

            if (handle is not null && caretResetPending)
            {
                // A new item: the caret starts at the beginning of its text.
                caretResetPending = false;
                await handle.InvokeVoidAsync("setSelection", 0, 0);
            }

            if (handle is not null && focusRequested)
            {
                focusRequested = false;
                await handle.InvokeVoidAsync("focus");
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to attach to.
        }
    }

    private object Options() => new
    {
        labels = Field.Options.Select(o => new { value = o.Value, hotkey = o.Hotkey }).ToArray(),
        readOnly = ReadOnly,
    };

    /// <summary>The browser finished a selection and a label key was pressed over it.</summary>
    [JSInvokable]
    public async Task OnSpanLabelled(int startUtf16, int endUtf16, string label)
    {
        var (start, end) = ToCodePoints(startUtf16, endUtf16);
        if (ReadOnly || end <= start || Field.FindOption(label) is null)
        {
            return;
        }

        pending = null;
        active = null;
        await AddAsync(new SpanValue(start, end, label));
    }

    /// <summary>The selection or caret changed (after a mouse-up, or debounced keyboard moves); a click picks the span under it.</summary>
    [JSInvokable]
    public void OnSelectionChanged(int startUtf16, int endUtf16, bool click)
    {
        var (start, end) = ToCodePoints(startUtf16, endUtf16);
        if (start < end)
        {
            pending = (start, end);
            active = null;
            lastClickAt = null;
        }
        else
        {
            pending = null;
            var under = SpanSegments.At(spans, start, includeEnd: click);
            if (click && lastClickAt == start && active is not null && under.Count > 1)
            {
                // Clicking the same place again walks through overlapping spans, innermost first.
                var i = under.ToList().IndexOf(active);
                active = under[(i + 1) % under.Count];
            }
            else
            {
                active = under.Count > 0 ? under[0] : null;
            }

            lastClickAt = click ? start : null;
        }

        StateHasChanged();
    }

    /// <summary>A label chosen by hotkey or button: labels the selection, else relabels the picked span. False when there is neither.</summary>
    public async Task<bool> LabelAsync(string label)
    {
        if (ReadOnly || Field.FindOption(label) is null)
        {
            return false;
        }

        if (pending is { } selection)
        {
            pending = null;
            await AddAsync(new SpanValue(selection.Start, selection.End, label));
            await SetBrowserSelectionAsync(selection.End, selection.End);
            return true;
        }

        if (active is { } span)
        {
            if (span.Label != label)
            {
                var relabelled = span with { Label = label };
                var next = spans.Where(s => s != span && s != relabelled).Append(relabelled);
                active = relabelled;
                await ValueChanged.InvokeAsync(SpanSegments.ToJson(next));
            }

            return true;
        }

        return false;
    }

    /// <summary>Deletes the picked span; false when none is picked.</summary>
    public async Task<bool> DeleteActiveAsync()
    {
        if (ReadOnly || active is not { } span)
        {
            return false;
        }

        active = null;
        await ValueChanged.InvokeAsync(SpanSegments.ToJson(spans.Where(s => s != span)));
        return true;
    }

    /// <summary>Drops the selection and the picked span; false when there was nothing to drop.</summary>
    public bool ClearSelection()
    {
        var had = pending is not null || active is not null;
        pending = null;
        active = null;
        lastClickAt = null;
        if (had)
        {
            StateHasChanged();
        }

        return had;
    }

    /// <summary>Puts the keyboard in the text (once the browser module is attached, if it is not yet).</summary>
    public async Task FocusAsync()
    {
        if (handle is null)
        {
            focusRequested = true;
        }
        else
        {
            try
            {
                await handle.InvokeVoidAsync("focus");
            }
            catch (JSDisconnectedException)
            {
                // Nothing to focus in a closed circuit.
            }
        }
    }

    private async Task ActivateAsync(SpanValue span)
    {
        pending = null;
        active = span;
        lastClickAt = null;
        await SetBrowserSelectionAsync(span.Start, span.Start);
    }

    /// <summary>A new span; the same range again relabels it (one label per range), the same span again changes nothing.</summary>
    private async Task AddAsync(SpanValue span)
    {
        if (spans.Contains(span))
        {
            return;
        }

        var next = spans.Where(s => s.Start != span.Start || s.End != span.End).Append(span);
        await ValueChanged.InvokeAsync(SpanSegments.ToJson(next));
    }

    private async Task SetBrowserSelectionAsync(int start, int end)
    {
        if (handle is null)
        {
            return;
        }

        try
        {
            await handle.InvokeVoidAsync("setSelection", offsets[Math.Min(start, offsets.Length - 1)], offsets[Math.Min(end, offsets.Length - 1)]);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
    }

    private (int Start, int End) ToCodePoints(int startUtf16, int endUtf16)
    {
        var a = CodePoints.FromUtf16Index(Text, Math.Clamp(startUtf16, 0, Text.Length));
        var b = CodePoints.FromUtf16Index(Text, Math.Clamp(endUtf16, 0, Text.Length));
        return a <= b ? (a, b) : (b, a);
    }

    private string Excerpt(int start, int end)
    {
        var length = offsets.Length - 1;
        start = Math.Clamp(start, 0, length);
        end = Math.Clamp(end, start, length);
        var text = Text[offsets[start]..offsets[end]];
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= ExcerptLength ? flat : string.Concat(flat.AsSpan(0, ExcerptLength / 2), " … ", flat.AsSpan(flat.Length - (ExcerptLength / 2)));
    }

    /// <summary>The segments, written without whitespace between them (any would become part of the text).</summary>
    private void RenderSegments(RenderTreeBuilder builder)
    {
        foreach (var segment in segments)
        {
            builder.OpenElement(0, "span");
            builder.SetKey(segment.Utf16Start);
            builder.AddAttribute(1, "data-s", segment.Utf16Start.ToString(CultureInfo.InvariantCulture));
            if (segment.Covering.Count > 0)
            {
                var isActive = active is not null && segment.Covering.Any(v => v.Span == active);
                builder.AddAttribute(2, "class", isActive ? "lb-seg lb-seg-span lb-seg-active" : "lb-seg lb-seg-span");
                builder.AddAttribute(3, "style", SegmentStyle(segment));
                if (segment.Ending.Count > 0)
                {
                    builder.AddAttribute(4, "data-tags", string.Join(' ', segment.Ending.Select(v => v.Span.Label)));
                }
            }

            builder.AddContent(5, Text[segment.Utf16Start..segment.Utf16End]);
            builder.CloseElement();
        }
    }

    /// <summary>One underline per covering span, in its lane (lane 0 lowest), over a tint of the innermost span's colour.</summary>
    private string SegmentStyle(TextSegment segment)
    {
        var innermost = segment.Covering.MinBy(v => v.Span.End - v.Span.Start)!;
        var images = string.Join(',', segment.Covering.Select(v => $"linear-gradient({LabelColors.For(Field, v.Span.Label)},{LabelColors.For(Field, v.Span.Label)})"));
        var sizes = string.Join(',', segment.Covering.Select(_ => "100% 3px"));
        var positions = string.Join(',', segment.Covering.Select(v => v.Lane == 0 ? "0 100%" : $"0 calc(100% - {v.Lane * 5}px)"));
        var lanes = segment.Covering.Max(v => v.Lane) + 1;
        return $"background-color:{LabelColors.Tint(LabelColors.For(Field, innermost.Span.Label), "2e")};background-image:{images};"
            + $"background-size:{sizes};background-position:{positions};background-repeat:no-repeat;padding-bottom:{(lanes * 5) - 1}px";
    }

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
