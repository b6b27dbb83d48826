using System.Diagnostics;
using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Annotate;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace LabelBench.Web.Components.Pages.Annotate;

/// <summary>What the workspace keeps across a prerender or a paused circuit; the database stays the source of truth.</summary>
public sealed record WorkspaceSnapshot(long ItemId, string IdempotencyKey, string ResultJson, long TimeSpentMs);

/// <summary>
/// The annotation workspace: the next item, the schema's editors, drafts autosaved, the history of the annotator's
/// submissions to correct, keyboard first. Keys are routed by the browser module <c>annotate-workspace.js</c>
/// (which also measures active time) and arrive here as commands.
/// </summary>
public sealed partial class AnnotatePage
{
    private const int HistorySize = 20;
    private static readonly TimeSpan DraftDelay = TimeSpan.FromMilliseconds(800);

    [Inject]
    private QueueService Queue { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILogger<AnnotatePage> Logger { get; set; } = default!;

    private readonly CancellationTokenSource disposed = new();
    private readonly Stopwatch clock = new();
    private readonly DialogOptions helpOptions = new() { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Medium };
    private ElementReference workspace;
    private AnnotationForm? itemForm;
    private AnnotationForm? sideForm;
    private IJSObjectReference? module;
    private IJSObjectReference? keys;
    private DotNetObjectReference<AnnotatePage>? self;

    private IReadOnlyList<SchemaField> itemFields = [];
    private IReadOnlyList<SchemaField> sideFields = [];
    private IReadOnlySet<string> itemKeys = new HashSet<string>();
    private bool hasSpans;
    private IReadOnlyCollection<string> hotkeys = [];

    private NextItem? item;
    private JsonObject result = [];
    private JsonObject? predictionStart;
    private IReadOnlySet<string> predictedFields = new HashSet<string>();
    private List<string> errors = [];
    private QueueProgress? progress;
    private IReadOnlyList<HistoryEntry> history = [];
    private int historyIndex = -1;
    private SubmittedAnnotation? viewing;
    private JsonObject correction = [];
    private long timeBeforeHistory;
    private long correctionStartedAt;
    private bool loading = true;
    private bool busy;
    private bool showHelp;
    private bool focusPending;
    private string draftStatus = string.Empty;
    private string idempotencyKey = NewKey();
    private long priorTimeMs;
    private int draftVersion;
    private bool draftPending;
    private WorkspaceSnapshot? restored;
    private bool closing;

    /// <summary>
    /// .NET 10 persistent component state: carries the unsaved result and the submit's idempotency key from the
    /// prerender to the interactive render, and over a paused (evicted) circuit that resumes. Used only when it is
    /// about the item the database hands out again; the autosaved draft covers refreshes and restarts.
    /// </summary>
    [PersistentState]
    public WorkspaceSnapshot? Snapshot
    {
        get => item is null ? null : new WorkspaceSnapshot(item.ItemId, idempotencyKey, result.ToJsonString(), priorTimeMs + clock.ElapsedMilliseconds);
        set => restored = value;
    }

    private long? ShownItemId => viewing?.ItemId ?? item?.ItemId;

    private JsonObject? ShownData => viewing?.Data ?? item?.Data;

    private JsonObject ShownResult => viewing is null ? result : correction;

    private bool ShownReadOnly => viewing?.Adjudicated == true;

    private string ShownLabel => viewing is not null ? viewing.ExternalId ?? viewing.ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : item?.ExternalId ?? item?.ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>The shown item's image or audio, from the authorised media endpoint.</summary>
    private ItemMedia? ShownMedia => viewing is not null
        ? ItemMedia.For(Id, viewing.ItemId, viewing.MediaType, viewing.Width, viewing.Height, viewing.DurationSeconds)
        : item is null ? null : ItemMedia.For(Id, item.ItemId, item.MediaType, item.Width, item.Height, item.DurationSeconds);

    /// <summary>Changes whenever another item or history entry is shown, so the editors start a fresh undo history.</summary>
    private string? ShownItemKey => viewing is not null ? $"history-{viewing.AnnotationId}" : item is null ? null : $"item-{item.ItemId}-{idempotencyKey}";

    /// <summary>An image or audio editor in the item panel shows the media itself; the plain view then leaves it out.</summary>
    private bool EditorShowsMedia(ItemMedia media) => itemFields.Any(media.HasEditorFor);

    private ItemPresentation? ShownPresentation => ShownItemId is { } id ? new ItemPresentation(Caller.UserId, id) : null;

    private static string NewKey() => Guid.NewGuid().ToString("N");

    protected override async Task OnProjectLoadedAsync()
    {
        var schema = Project!.Schema;
        itemFields = schema.Fields.Where(AnnotationForm.ShowsItem).ToList();
        sideFields = schema.Fields.Where(f => !AnnotationForm.ShowsItem(f)).ToList();
        itemKeys = itemFields.SelectMany(f => f.Responses.Prepend(f.Source ?? string.Empty)).Where(k => k.Length > 0).ToHashSet();
        hasSpans = itemFields.Any(f => f.Kind == FieldKind.Spans);
        hotkeys = WorkspaceKeymap.For(schema.Fields).Keys;
        await LoadNextAsync();
    }

    private async Task LoadNextAsync()
    {
        loading = item is null;
        errors = [];
        viewing = null;
        historyIndex = -1;
        item = await Queue.NextAsync(Caller, Id);
        progress = await Queue.ProgressAsync(Caller, Id);
        history = await Queue.HistoryAsync(Caller, Id, HistorySize);
        idempotencyKey = NewKey();
        draftStatus = string.Empty;
        draftPending = false;
        draftVersion++;
        predictionStart = item is { Predictions.Count: > 0 } ? PreAnnotation.StartingResult(Project!.Schema, item.Predictions[0].Result) : null;
        var baseline = item?.Draft ?? predictionStart ?? [];
        result = (JsonObject)baseline.DeepClone();
        priorTimeMs = item?.DraftTimeSpentMs ?? 0;
        if (item?.Draft is not null)
        {
            draftStatus = "draft restored";
        }

        if (item is not null && restored is { } snapshot && snapshot.ItemId == item.ItemId)
        {
            // The same item after a prerender or a resumed circuit: keep the unsaved edits and the same submit key,
            // so a submit that reached the server before the connection dropped is recognised, not repeated.
            result = JsonNode.Parse(snapshot.ResultJson) as JsonObject ?? result;
            idempotencyKey = snapshot.IdempotencyKey;
            priorTimeMs = Math.Max(priorTimeMs, snapshot.TimeSpentMs);
            if (!JsonNode.DeepEquals(result, baseline))
            {
                ScheduleDraftSave();
            }
        }

        restored = null;
        UpdatePredicted();
        clock.Restart();
        await ResetClockAsync(priorTimeMs);
        loading = false;
        focusPending = true;
    }

    /// <summary>Fields still holding the model's value are marked as pre-annotated; the mark goes once the annotator changes them.</summary>
    private void UpdatePredicted() =>
        predictedFields = viewing is null && predictionStart is not null
            ? predictionStart.Where(p => JsonNode.DeepEquals(p.Value, result[p.Key])).Select(p => p.Key).ToHashSet()
            : new HashSet<string>();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (keys is null && Project is not null && !loading)
            {
                self ??= DotNetObjectReference.Create(this);
                module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/annotate-workspace.js");
                keys = module is null ? null : await module.InvokeAsync<IJSObjectReference>("attach", workspace, self, new { keys = hotkeys });
                await ResetClockAsync(viewing is null ? priorTimeMs + clock.ElapsedMilliseconds : timeBeforeHistory);
            }

            if (focusPending && ShownData is not null)
            {
                focusPending = false;
                // Keys go to the workspace (or straight into the text to mark), so hotkeys work without a click first.
                if (itemForm is null || !await itemForm.FocusTextAsync())
                {
                    await workspace.FocusAsync();
                }
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the next page load starts over from the database.
        }
    }

    private async Task<long> TimeSpentAsync()
    {
        if (keys is not null)
        {
            try
            {
                return await keys.InvokeAsync<long>("elapsed");
            }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
            {
                Logger.LogDebug(ex, "Active time unavailable from the browser; using the server's clock.");
            }
        }

        return priorTimeMs + clock.ElapsedMilliseconds;
    }

    private async Task ResetClockAsync(long priorMs)
    {
        if (keys is null)
        {
            return;
        }

        try
        {
            await keys.InvokeVoidAsync("resetClock", priorMs);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            Logger.LogDebug(ex, "Could not reset the browser's active-time clock.");
        }
    }

    private Task OnResultChangedAsync(JsonObject value)
    {
        errors = [];
        if (viewing is not null)
        {
            correction = value;
            return Task.CompletedTask;
        }

        result = value;
        UpdatePredicted();
        ScheduleDraftSave();
        return Task.CompletedTask;
    }

    private void ScheduleDraftSave()
    {
        var version = ++draftVersion;
        draftPending = true;
        draftStatus = "editing…";
        _ = SaveDraftLaterAsync(version);
    }

    /// <summary>The debounce: only the last change within <see cref="DraftDelay"/> saves. Never throws (it runs unobserved).</summary>
    private async Task SaveDraftLaterAsync(int version)
    {
        try
        {
            await Task.Delay(DraftDelay, disposed.Token);
            await InvokeAsync(async () =>
            {
                if (version == draftVersion)
                {
                    await SaveDraftNowAsync();
                }
            });
        }
        catch (OperationCanceledException)
        {
            // The page closed; DisposeAsync saved what was pending.
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Autosave of the draft of project {ProjectId} failed.", Id);
        }
    }

    private async Task SaveDraftNowAsync()
    {
        if (!draftPending || item is null)
        {
            return;
        }

        draftPending = false;
        var current = item;
        var snapshot = (JsonObject)result.DeepClone();
        var spent = await TimeSpentAsync();
        try
        {
            await Queue.SaveDraftAsync(Caller, Id, current.ItemId, snapshot, spent, CancellationToken.None);
            if (item == current)
            {
                draftStatus = "draft saved";
            }
        }
        catch (ServiceException ex)
        {
            draftStatus = $"draft not saved: {ex.Message}";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is unreachable for a moment: keep the edit pending, the next change or submit retries.
            Logger.LogWarning(ex, "Could not save the draft of item {ItemId}.", current.ItemId);
            draftPending = item == current;
            draftStatus = "draft not saved yet (retrying on the next change)";
        }

        if (!closing)
        {
            StateHasChanged();
        }
    }

    private async Task SubmitAsync()
    {
        if (viewing is not null)
        {
            await SaveCorrectionAsync();
            return;
        }

        if (item is null || busy)
        {
            return;
        }

        busy = true;
        draftVersion++;
        try
        {
            var spent = await TimeSpentAsync();
            await Queue.SubmitAsync(Caller, Id, item.ItemId, result, spent, idempotencyKey);
            draftPending = false;
            await LoadNextAsync();
        }
        catch (ServiceException ex) when (ex.Kind == ServiceErrorKind.Conflict)
        {
            // Submitted or skipped in another tab meanwhile: nothing is lost, move on.
            Snackbar.Add(ex.Message, Severity.Warning);
            draftPending = false;
            await LoadNextAsync();
        }
        catch (ServiceException ex)
        {
            errors = ex.Errors.Count > 0 ? ex.Errors.Select(e => e.ToString()).ToList() : [ex.Message];
        }
        finally
        {
            busy = false;
        }
    }

    private async Task SkipAsync()
    {
        if (item is null || busy || viewing is not null)
        {
            return;
        }

        busy = true;
        draftVersion++;
        try
        {
            await Queue.SkipAsync(Caller, Id, item.ItemId);
            draftPending = false;
            await LoadNextAsync();
        }
        catch (ServiceException ex) when (ex.Kind == ServiceErrorKind.Conflict)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
            draftPending = false;
            await LoadNextAsync();
        }
        catch (ServiceException ex)
        {
            errors = [ex.Message];
        }
        finally
        {
            busy = false;
        }
    }

    private async Task OpenHistoryAsync(int index)
    {
        if (busy || index < 0 || index >= history.Count)
        {
            return;
        }

        busy = true;
        try
        {
            await SaveDraftNowAsync();
            var entry = history[index];
            var opened = await Queue.SubmittedAsync(Caller, Id, entry.ItemId);
            if (viewing is null)
            {
                timeBeforeHistory = await TimeSpentAsync();
            }

            viewing = opened;
            historyIndex = index;
            correction = (JsonObject)opened.Result.DeepClone();
            correctionStartedAt = await TimeSpentAsync();
            errors = [];
            predictedFields = new HashSet<string>();
            focusPending = true;
        }
        catch (ServiceException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
        }
        finally
        {
            busy = false;
        }
    }

    private async Task BackToCurrentAsync()
    {
        if (viewing is null)
        {
            return;
        }

        viewing = null;
        historyIndex = -1;
        errors = [];
        UpdatePredicted();
        // Time spent looking back is not the current item's.
        await ResetClockAsync(timeBeforeHistory);
        focusPending = true;
    }

    private async Task SaveCorrectionAsync()
    {
        if (viewing is null || busy)
        {
            return;
        }

        if (viewing.Adjudicated)
        {
            errors = ["This item has been adjudicated: your annotation can no longer be changed."];
            return;
        }

        busy = true;
        try
        {
            var extra = Math.Max(0, await TimeSpentAsync() - correctionStartedAt);
            await Queue.EditSubmittedAsync(Caller, Id, viewing.ItemId, correction, extra);
            Snackbar.Add($"Correction of item {viewing.ExternalId ?? viewing.ItemId.ToString(System.Globalization.CultureInfo.InvariantCulture)} saved.", Severity.Success);
            history = await Queue.HistoryAsync(Caller, Id, HistorySize);
            busy = false;
            await BackToCurrentAsync();
        }
        catch (ServiceException ex) when (ex.Kind == ServiceErrorKind.Conflict)
        {
            errors = [ex.Message];
            viewing = await Queue.SubmittedAsync(Caller, Id, viewing.ItemId);
        }
        catch (ServiceException ex)
        {
            errors = ex.Errors.Count > 0 ? ex.Errors.Select(e => e.ToString()).ToList() : [ex.Message];
        }
        finally
        {
            busy = false;
        }
    }

    /// <summary>A key the browser module routed to the workspace (see annotate-workspace.js).</summary>
    [JSInvokable]
    public async Task OnWorkspaceCommand(string command, string? key)
    {
        switch (command)
        {
            case "submit":
                await SubmitAsync();
                break;
            case "skip":
                await SkipAsync();
                break;
            case "help":
                showHelp = true;
                break;
            case "history-back":
                await OpenHistoryAsync(historyIndex + 1);
                break;
            case "history-forward":
                if (historyIndex > 0)
                {
                    await OpenHistoryAsync(historyIndex - 1);
                }
                else
                {
                    await BackToCurrentAsync();
                }

                break;
            case "escape":
                var cleared = (itemForm?.ClearSelections() ?? false) | (sideForm?.ClearSelections() ?? false);
                if (!cleared)
                {
                    await BackToCurrentAsync();
                }

                break;
            case "delete":
                if (itemForm is not null)
                {
                    await itemForm.DeleteAsync();
                }

                break;
            case "key" when key is not null:
                if (!(itemForm is not null && await itemForm.HandleKeyAsync(key)) && sideForm is not null)
                {
                    await sideForm.HandleKeyAsync(key);
                }

                break;
            default:
                break;
        }

        StateHasChanged();
    }

    private void ShowHelp() => showHelp = true;

    public async ValueTask DisposeAsync()
    {
        // Leaving the page (or the circuit closing) within the autosave delay still saves the draft.
        closing = true;
        try
        {
            await SaveDraftNowAsync();
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Could not save the draft when the workspace closed.");
        }

        await disposed.CancelAsync();
        disposed.Dispose();
        try
        {
            if (keys is not null)
            {
                await keys.InvokeVoidAsync("dispose");
                await keys.DisposeAsync();
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
