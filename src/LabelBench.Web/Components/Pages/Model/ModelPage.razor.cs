using LabelBench.Data.ActiveLearning;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Components;

namespace LabelBench.Web.Components.Pages.Model;

/// <summary>The model loop for leads: train the built-in classifier, watch model versions against the humans, set the uncertainty measure, automatic retraining and the model service.</summary>
public sealed partial class ModelPage
{
    private ModelReport? report;
    private ModelSettings? settings;
    private TrainingOutcome? lastTraining;
    private ModelServiceTest? connection;
    private string? error;
    private string? actionError;
    private string? actionMessage;
    private bool busy;
    private string? trainField;
    private string measure = "least-confidence";
    private int autoTrainEvery;
    private string? serviceUrl;

    [Inject]
    private ActiveLearningService Model { get; set; } = default!;

    [Inject]
    private ModelTrainingService Training { get; set; } = default!;

    [Inject]
    private ModelServiceSync Service { get; set; } = default!;

    protected override async Task OnProjectLoadedAsync()
    {
        if (!HasRole("lead"))
        {
            return;
        }

        try
        {
            settings = await Model.SettingsAsync(Caller, Id);
            measure = settings.UncertaintyMeasure;
            autoTrainEvery = settings.AutoTrainEvery;
            serviceUrl = settings.ModelServiceUrl;
            await LoadReportAsync();
            trainField ??= report is { TrainableFields.Count: > 0 } r ? r.TrainableFields[0] : null;
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
        }
    }

    private async Task LoadReportAsync() => report = await Model.ReportAsync(Caller, Id);

    private Task TrainAsync() => RunAsync(async () =>
    {
        lastTraining = await Training.TrainAsync(Caller, Id, new TrainingRequest(trainField, LearningCurve: true));
        return null;
    });

    private Task SaveSettingsAsync() => RunAsync(async () =>
    {
        settings = await Model.UpdateSettingsAsync(Caller, Id, new ModelSettingsUpdate(measure, autoTrainEvery, serviceUrl ?? string.Empty));
        serviceUrl = settings.ModelServiceUrl;
        return "Settings saved.";
    });

    private Task TestConnectionAsync() => RunAsync(async () =>
    {
        connection = await Service.TestConnectionAsync(Caller, Id, serviceUrl);
        return null;
    });

    private Task FetchPredictionsAsync() => RunAsync(async () =>
    {
        var round = await Service.FetchPredictionsAsync(Caller, Id);
        return $"The model service was asked about {round.Requested} item(s); {round.Predicted} prediction(s) stored" +
            (round.Rejected.Count > 0 ? $", {round.Rejected.Count} refused (first: {round.Rejected[0]})." : ".");
    });

    private Task SendLabelsAsync() => RunAsync(async () =>
    {
        var round = await Service.SendLabelsAsync(Caller, Id);
        return $"{round.LabelsSent} new final label(s) sent to the model service.";
    });

    /// <summary>Runs an action with the buttons disabled, then reloads the figures; service refusals show as a message.</summary>
    private async Task RunAsync(Func<Task<string?>> action)
    {
        busy = true;
        actionError = null;
        actionMessage = null;
        try
        {
            actionMessage = await action();
            await LoadReportAsync();
        }
        catch (ServiceException ex)
        {
            actionError = ex.Message;
        }
        finally
        {
            busy = false;
        }
    }
}
