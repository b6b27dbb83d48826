using System.Globalization;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Components;

namespace LabelBench.Web.Components.Pages.Export;

/// <summary>The export page: choose format, labels and filters; download now or save a snapshot the server writes in the background.</summary>
public partial class ExportPage
{
    private readonly CancellationTokenSource disposed = new();
    private string format = "jsonl";
    private string source = "all";
    private string? split;
    private string? label;
    private DateTime? from;
    private DateTime? to;
    private string? annotator;
    private string? snapshotName;
    private bool saving;
    private string? message;
    private bool messageIsError;
    private IReadOnlyList<SnapshotView> snapshots = [];
    private Task? polling;

    [Inject]
    private ExportSnapshotService Snapshots { get; set; } = default!;

    private string DownloadUrl
    {
        get
        {
            var query = new List<string> { $"format={Uri.EscapeDataString(format)}", $"source={Uri.EscapeDataString(source)}" };
            void Add(string key, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    query.Add($"{key}={Uri.EscapeDataString(value.Trim())}");
                }
            }

            Add("split", split);
            Add("label", label);
            Add("from", Date(from));
            Add("to", Date(to));
            Add("annotator", annotator);
            return $"/api/v1/projects/{Id}/export?{string.Join('&', query)}";
        }
    }

    private static string? Date(DateTime? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string FileUrl(SnapshotView s, string name) => $"/api/v1/projects/{Id}/exports/{s.Id}/files/{Uri.EscapeDataString(name)}";

    private string ManifestUrl(SnapshotView s) => $"/api/v1/projects/{Id}/exports/{s.Id}/manifest";

    private static double Percent(SnapshotView s) => s.TotalItems == 0 ? 0 : Math.Min(100, 100.0 * s.ProgressItems / s.TotalItems);

    private static string FileSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MB",
    };

    protected override async Task OnProjectLoadedAsync()
    {
        if (HasRole("lead") || HasRole("reviewer"))
        {
            await LoadSnapshotsAsync();
        }
    }

    private async Task LoadSnapshotsAsync()
    {
        snapshots = await Snapshots.ListAsync(Caller, Id, disposed.Token);
        if (snapshots.Any(s => s.Status == "running") && polling is null)
        {
            polling = PollAsync();
        }
    }

    /// <summary>Refreshes the list every two seconds while a snapshot is being written.</summary>
    private async Task PollAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
            while (await timer.WaitForNextTickAsync(disposed.Token))
            {
                snapshots = await Snapshots.ListAsync(Caller, Id, disposed.Token);
                await InvokeAsync(StateHasChanged);
                if (!snapshots.Any(s => s.Status == "running"))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed; the snapshot goes on in the background.
        }
        catch (ServiceException ex)
        {
            message = ex.Message;
            messageIsError = true;
            await InvokeAsync(StateHasChanged);
        }
        finally
        {
            polling = null;
        }
    }

    private async Task SaveSnapshotAsync()
    {
        saving = true;
        message = null;
        try
        {
            var request = ExportRequest.Parse(format, source, split, label, Date(from), Date(to), annotator);
            var created = await Snapshots.CreateAsync(Caller, Id, snapshotName, request, disposed.Token);
            message = $"Snapshot \"{created.Name}\" is being written; it appears below with a download link when ready.";
            messageIsError = false;
            snapshotName = null;
            await LoadSnapshotsAsync();
        }
        catch (ServiceException ex)
        {
            message = ex.Message;
            messageIsError = true;
        }
        finally
        {
            saving = false;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
        GC.SuppressFinalize(this);
    }
}
