using LabelBench.Core.Agreement;
using LabelBench.Data.Services;
using LabelBench.Web.Components.Agreement;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace LabelBench.Web.Components.Pages.Agreement;

/// <summary>The agreement dashboard: headline figures with intervals, heatmap, per-label bars, confusion, time, reliability, gold.</summary>
public sealed partial class AgreementPage : IAsyncDisposable
{
    private ProjectAgreement? result;
    private ModelReport? modelReport;
    private string? error;
    private IJSObjectReference? module;

    [Inject]
    private ActiveLearningService ActiveLearning { get; set; } = default!;

    protected override async Task OnProjectLoadedAsync()
    {
        await LoadAsync(null);
        try
        {
            modelReport = await ActiveLearning.ReportAsync(Caller, Id);
        }
        catch (ServiceException)
        {
            // The model figures are a small extra here; the dashboard stands without them.
            modelReport = null;
        }
    }

    private async Task LoadAsync(string? field)
    {
        try
        {
            result = await Agreement.DashboardAsync(Caller, Id, field);
            error = null;
            if (result.Stale && Agreement.RefreshingAsync(Id, field) is { } refreshing)
            {
                // Show the last figures at once; swap in the fresh ones when the background computation ends.
                _ = RefreshWhenDoneAsync(refreshing, field);
            }
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
        }
    }

    private async Task RefreshWhenDoneAsync(Task<ProjectAgreement> refreshing, string? field)
    {
        try
        {
            var fresh = await refreshing;
            await InvokeAsync(() =>
            {
                if (result is not null && result.Field == fresh.Field && (field is null || field == result.Field))
                {
                    result = fresh;
                    StateHasChanged();
                }
            });
        }
        catch (Exception ex) when (ex is ServiceException or InvalidOperationException or ObjectDisposedException)
        {
            // The page keeps the figures it shows; the next visit computes again.
        }
    }

    private Task ChangeFieldAsync(string field) => LoadAsync(field);

    private string Name(string userId) => result?.AnnotatorNames.GetValueOrDefault(userId, userId) ?? userId;

    private List<string> PairNames(AgreementDashboard d) =>
        d.Pairs.SelectMany(p => new[] { p.First, p.Second }).Distinct().Select(Name).ToList();

    private List<AnnotatorPairAgreement> NamedPairs(AgreementDashboard d) =>
        d.Pairs.Select(p => p with { First = Name(p.First), Second = Name(p.Second) }).ToList();

    private static List<BarChart.Bar> LabelBars(AgreementDashboard d) =>
        d.PerLabel.Select(l => new BarChart.Bar(l.Label, Finite(l.SpecificAgreement), $"({l.Judgements})")).ToList();

    private List<BarChart.Bar> ReliabilityBars(AgreementDashboard d) =>
        d.Reliability.Select(r => new BarChart.Bar(Name(r.Annotator), r.Reliability, $"({r.Judgements})")).ToList();

    private List<BarChart.Bar> GoldBars(GoldAccuracyResult gold) =>
        gold.Annotators.Select(a => new BarChart.Bar(Name(a.Annotator), a.Accuracy, $"({a.Correct}/{a.GoldJudgements})")).ToList();

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    internal string CsvUrl(string table) => $"/api/v1/projects/{Id}/agreement/{table}.csv" + (result?.Field is { } f ? $"?field={Uri.EscapeDataString(f)}" : string.Empty);

    private async Task DownloadPngAsync((ElementReference Container, string FileName) chart)
    {
        module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/chart-export.js");
        await module.InvokeAsync<bool>("downloadSvgAsPng", chart.Container, $"project-{Id}-{chart.FileName}");
    }

    public async ValueTask DisposeAsync()
    {
        if (module is not null)
        {
            try
            {
                await module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; the browser freed the module with it.
            }
        }
    }
}
