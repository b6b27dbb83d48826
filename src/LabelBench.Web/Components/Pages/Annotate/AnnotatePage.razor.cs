using System.Diagnostics;
using System.Text.Json.Nodes;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace LabelBench.Web.Components.Pages.Annotate;

/// <summary>The annotation workspace: the next item, the schema's form, drafts autosaved, keyboard first.</summary>
public sealed partial class AnnotatePage
{
    private static readonly TimeSpan DraftDelay = TimeSpan.FromMilliseconds(800);

    [Inject]
    private QueueService Queue { get; set; } = default!;

    private ElementReference workspace;
    private NextItem? item;
    private JsonObject result = [];
    private IReadOnlySet<string> predictedFields = new HashSet<string>();
    private List<string> errors = [];
    private QueueProgress? progress;
    private bool loading = true;
    private bool busy;
    private bool showHelp;
    private bool focusPending;
    private string draftStatus = string.Empty;
    private string idempotencyKey = Guid.NewGuid().ToString("N");
    private readonly Stopwatch clock = new();
    private long priorTimeMs;
    private CancellationTokenSource? draftTimer;

    protected override async Task OnProjectLoadedAsync() => await LoadNextAsync();

    private async Task LoadNextAsync()
    {
        loading = true;
        errors = [];
        item = await Queue.NextAsync(Caller, Id);
        progress = await Queue.ProgressAsync(Caller, Id);
        idempotencyKey = Guid.NewGuid().ToString("N");
        draftStatus = string.Empty;
        predictedFields = new HashSet<string>();
        if (item?.Draft is { } draft)
        {
            result = draft;
            priorTimeMs = item.DraftTimeSpentMs;
            draftStatus = "draft restored";
        }
        else if (item is not null && item.Predictions.Count > 0)
        {
            // Start from the model's result, limited to the schema's fields; the annotation records whether it was kept.
            var prediction = item.Predictions[0].Result;
            result = [];
            foreach (var field in Project!.Schema.Fields.Where(f => prediction[f.Name] is not null))
            {
                result[field.Name] = prediction[field.Name]!.DeepClone();
            }

            predictedFields = result.Select(p => p.Key).ToHashSet();
            priorTimeMs = 0;
        }
        else
        {
            result = [];
            priorTimeMs = 0;
        }

        clock.Restart();
        loading = false;
        focusPending = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (focusPending && item is not null)
        {
            focusPending = false;
            // Keys go to the workspace, so hotkeys work without a click first.
            await workspace.FocusAsync();
        }
    }

    private long TimeSpentMs => priorTimeMs + clock.ElapsedMilliseconds;

    private Task OnResultChangedAsync(JsonObject value)
    {
        result = value;
        errors = [];
        ScheduleDraftSave();
        return Task.CompletedTask;
    }

    private void ScheduleDraftSave()
    {
        draftTimer?.Cancel();
        draftTimer?.Dispose();
        draftTimer = new CancellationTokenSource();
        var token = draftTimer.Token;
        var snapshot = (JsonObject)result.DeepClone();
        var current = item;
        draftStatus = "editing…";
        _ = Task.Delay(DraftDelay, token).ContinueWith(
            async _ =>
            {
                if (current is null)
                {
                    return;
                }

                try
                {
                    await Queue.SaveDraftAsync(Caller, Id, current.ItemId, snapshot, TimeSpentMs, CancellationToken.None);
                    draftStatus = "draft saved";
                }
                catch (ServiceException ex)
                {
                    draftStatus = $"draft not saved: {ex.Message}";
                }

                await InvokeAsync(StateHasChanged);
            },
            token,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default).Unwrap();
    }

    private async Task SubmitAsync()
    {
        if (item is null || busy)
        {
            return;
        }

        busy = true;
        draftTimer?.Cancel();
        try
        {
            await Queue.SubmitAsync(Caller, Id, item.ItemId, result, TimeSpentMs, idempotencyKey);
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
        if (item is null || busy)
        {
            return;
        }

        busy = true;
        draftTimer?.Cancel();
        try
        {
            await Queue.SkipAsync(Caller, Id, item.ItemId);
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

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (item is null || Project is null || e.AltKey || e.MetaKey)
        {
            return;
        }

        if (e.Key == "Enter")
        {
            await SubmitAsync();
            return;
        }

        if (e.CtrlKey)
        {
            return;
        }

        if (e.Key == "?")
        {
            showHelp = true;
            return;
        }

        if (string.Equals(e.Key, "s", StringComparison.OrdinalIgnoreCase))
        {
            await SkipAsync();
            return;
        }

        foreach (var field in Project.Schema.Fields.Where(f => f.Kind == Core.Schemas.FieldKind.Choices))
        {
            var option = field.Options.FirstOrDefault(o => string.Equals(o.Hotkey, e.Key, StringComparison.OrdinalIgnoreCase));
            if (option is not null)
            {
                var next = (JsonObject)result.DeepClone();
                var value = ChoiceValuesToggle(field, next[field.Name], option.Value);
                if (value is null)
                {
                    next.Remove(field.Name);
                }
                else
                {
                    next[field.Name] = value;
                }

                await OnResultChangedAsync(next);
                return;
            }
        }
    }

    private static JsonNode? ChoiceValuesToggle(Core.Schemas.SchemaField field, JsonNode? current, string value) =>
        LabelBench.Web.Components.Annotate.ChoiceValues.Toggle(field, current, value);

    public void Dispose()
    {
        draftTimer?.Cancel();
        draftTimer?.Dispose();
    }
}
