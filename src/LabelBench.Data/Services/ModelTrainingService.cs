using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.ActiveLearning;
using LabelBench.Core.Import;
using LabelBench.Core.Schemas;
using LabelBench.Data.ActiveLearning;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabelBench.Data.Services;

/// <summary>What to train: a <c>choices</c> field (default: the first single-choice field reading text), and whether to draw a learning curve.</summary>
public sealed record TrainingRequest(string? Field = null, bool LearningCurve = false);

/// <summary>The output of <c>labelbench model train</c> and <c>POST .../model/train</c>.</summary>
public sealed record TrainingReport(int TrainedOn, double HeldOutAccuracy, int Predicted);

/// <summary>Everything a training produced.</summary>
public sealed record TrainingOutcome(
    long RunId,
    string Model,
    string Field,
    int TrainedOn,
    int HeldOut,
    double HeldOutAccuracy,
    int Predicted,
    IReadOnlyList<LearningCurvePoint>? LearningCurve)
{
    public TrainingReport ToReport() => new(TrainedOn, HeldOutAccuracy, Predicted);
}

/// <summary>A round of the model loop as the model page lists it.</summary>
public sealed record TrainingRunView(
    long Id,
    string Kind,
    string? Model,
    string? Field,
    string Status,
    string Trigger,
    int TrainedOn,
    int HeldOut,
    double? HeldOutAccuracy,
    int Predicted,
    IReadOnlyList<LearningCurvePoint>? LearningCurve,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>
/// The built-in baseline classifier for <c>choices</c> fields over text: learns from the final labels (adjudication,
/// else agreement), holds out 20 % to measure accuracy, and stores its predictions for every item without a final label
/// as a new model version <c>builtin-text-v{n}</c>. Training runs outside any transaction and predictions are written
/// in short batches, so annotators are never held up; <see cref="RunDueAsync"/> retrains projects every N new labels.
/// </summary>
public sealed class ModelTrainingService(
    IDbContextFactory<LabelBenchDbContext> dbFactory,
    PredictionService predictions,
    ModelServiceSync modelServices,
    AuditLog audit,
    TimeProvider time,
    ILogger<ModelTrainingService> logger)
{
    public const string ModelPrefix = "builtin-text-v";
    public const int MinimumLabels = 10;
    public const int Seed = 20261124;
    public const double HeldOutFraction = 0.2;

    /// <summary>The learning curve retrains ten times; beyond this many training labels it uses a random subset of them.</summary>
    public const int MaxLearningCurveLabels = 5000;
    private const int PredictBatch = 500;

    private static readonly JsonSerializerOptions CurveJson = new(JsonSerializerDefaults.Web);

    /// <summary>Projects' candidate-label counts at their last automatic check, so an unchanged project is not scanned again.</summary>
    private readonly ConcurrentDictionary<long, long> checkedAt = new();

    public async Task<TrainingOutcome> TrainAsync(Caller caller, long projectId, TrainingRequest request, CancellationToken ct = default) =>
        (await TrainCoreAsync(caller, projectId, request, "manual", minimumNewLabels: null, ct))!;

    private async Task<TrainingOutcome?> TrainCoreAsync(Caller caller, long projectId, TrainingRequest request, string trigger, int? minimumNewLabels, CancellationToken ct)
    {
        FinalLabelRule rule;
        SchemaField field;
        UncertaintyMeasure measure;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);
            rule = await FinalLabelRule.LoadAsync(db, projectId, ct);
            field = ResolveField(rule.Schema, request.Field);
            measure = UncertaintyMeasures.ParseOrDefault(await db.Projects.Where(p => p.Id == projectId).Select(p => p.UncertaintyMeasure).SingleAsync(ct));
        }

        var finals = await FinalLabels.AllAsync(dbFactory, rule, withData: true, ct);
        if (minimumNewLabels is { } needed && finals.Count - await LabelsAtLastRunAsync(projectId, ct) < needed)
        {
            return null;
        }

        var examples = finals
            .Select(f => (f.ItemId, Text: Text(f.Data, field), Label: ResultComparison.Label(f.Result, field.Name)))
            .Where(e => e.Text is not null && e.Label is not null)
            .Select(e => new TextExample(e.Text!, e.Label!)).ToList();
        var distinct = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count();
        if (examples.Count < MinimumLabels || distinct < 2)
        {
            throw ServiceException.Invalid(
                $"the built-in classifier needs at least {MinimumLabels} final labels of \"{field.Name}\" on items with text in \"{field.Source}\", " +
                $"with two different labels or more; project {projectId} has {examples.Count} with {distinct} label(s)");
        }

        var run = await StartRunAsync(caller, projectId, field.Name, trigger, finals.Count, ct);
        try
        {
            var split = HoldOut.Split(examples, HeldOutFraction, Seed);
            if (split.Training.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count() < 2)
            {
                throw ServiceException.Invalid($"the training part of the labels of \"{field.Name}\" has a single label; label more items of other classes");
            }

            var (classifier, accuracy, curve) = await Task.Run(() =>
            {
                var trained = TextClassifier.Train(split.Training, Seed);
                var acc = trained.Accuracy(split.HeldOut);
                IReadOnlyList<LearningCurvePoint>? points = request.LearningCurve
                    ? LearningCurve.Compute(split.Training.Take(MaxLearningCurveLabels).ToList(), split.HeldOut, (subset, heldOut) => TextClassifier.TrainAndEvaluate(subset, heldOut, Seed), ct: ct)
                    : null;
                return (trained, acc, points);
            }, ct);

            var labelled = finals.Select(f => f.ItemId).ToHashSet();
            var predicted = await PredictUnlabelledAsync(projectId, field, measure, classifier, run.Model!, labelled, ct);
            var outcome = new TrainingOutcome(run.Id, run.Model!, field.Name, split.Training.Count, split.HeldOut.Count, accuracy, predicted, curve);
            await CompleteRunAsync(caller, projectId, run.Id, outcome, ct);
            logger.LogInformation("Project {ProjectId}: {Model} trained on {TrainedOn} labels, held-out accuracy {Accuracy:0.000}, {Predicted} predictions.",
                projectId, run.Model, outcome.TrainedOn, accuracy, predicted);
            return outcome;
        }
        catch (Exception ex)
        {
            await ModelRuns.FailAsync(dbFactory, run.Id, ex, time.GetUtcNow(), logger);
            throw;
        }
    }

    private async Task<int> PredictUnlabelledAsync(long projectId, SchemaField field, UncertaintyMeasure measure, TextClassifier classifier, string model, HashSet<long> labelled, CancellationToken ct)
    {
        long after = 0;
        var stored = 0;
        while (true)
        {
            List<(long Id, string DataJson)> page;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                page = (await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending && i.Id > after)
                        .OrderBy(i => i.Id).Take(PredictBatch).Select(i => new { i.Id, i.DataJson }).ToListAsync(ct))
                    .Select(i => (i.Id, i.DataJson)).ToList();
            }

            if (page.Count == 0)
            {
                return stored;
            }

            after = page[^1].Id;
            var targets = page.Where(i => !labelled.Contains(i.Id))
                .Select(i => (i.Id, Text: Text(QueueService.ParseObject(i.DataJson), field)))
                .Where(i => i.Text is not null).ToList();
            var results = await Task.Run(() => classifier.Predict(targets.Select(t => t.Text!).ToList()), ct);
            var batch = targets.Zip(results, (t, r) => new PredictionToStore(t.Id, new PredictionRecord(
                model,
                new JsonObject { [field.Name] = r.Label },
                r.Probability,
                r.Probabilities))).ToList();
            stored += await predictions.StoreAsync(projectId, measure, batch, ct);
        }
    }

    /// <summary>
    /// One pass of automatic retraining: every project with <c>AutoTrainEvery</c> N &gt; 0 that gained N final labels
    /// since its last round trains the built-in classifier, or, when it names a model service, sends the service the new
    /// labels and fetches fresh predictions. Returns how many rounds ran; a project's failure is logged, not thrown.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        List<(long Id, int Every, int Overlap, string? Url)> projects;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            projects = (await db.Projects.AsNoTracking().Where(p => p.AutoTrainEvery > 0 && p.ArchivedAt == null)
                    .Select(p => new { p.Id, p.AutoTrainEvery, p.Overlap, p.ModelServiceUrl }).ToListAsync(ct))
                .Select(p => (p.Id, p.AutoTrainEvery, p.Overlap, p.ModelServiceUrl)).ToList();
        }

        var rounds = 0;
        foreach (var project in projects)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                long candidates;
                await using (var db = await dbFactory.CreateDbContextAsync(ct))
                {
                    if (await RunningAsync(db, project.Id, ct))
                    {
                        continue;
                    }

                    candidates = await FinalLabels.Candidates(db, project.Id, project.Overlap).LongCountAsync(ct);
                }

                // Cheap tests first: the candidates bound the final labels from above, and an unchanged count was judged already.
                if (candidates - await LabelsAtLastRunAsync(project.Id, ct) < project.Every
                    || (checkedAt.TryGetValue(project.Id, out var seen) && seen == candidates))
                {
                    continue;
                }

                checkedAt[project.Id] = candidates;
                var ran = project.Url is not null
                    ? await modelServices.RoundAsync(Caller.System, project.Id, "auto", project.Every, ct) is not null
                    : await TrainCoreAsync(Caller.System, project.Id, new TrainingRequest(LearningCurve: true), "auto", project.Every, ct) is not null;
                rounds += ran ? 1 : 0;
            }
            catch (ServiceException ex) when (ex.Kind == ServiceErrorKind.Conflict)
            {
                // Another instance (or a lead) started a round of this project a moment ago.
                logger.LogDebug("Automatic model round for project {ProjectId} skipped: {Message}", project.Id, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Automatic model round for project {ProjectId} failed: {Message}", project.Id, ex.Message);
            }
        }

        return rounds;
    }

    public async Task<IReadOnlyList<TrainingRunView>> RunsAsync(Caller caller, long projectId, int take = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var runs = await db.ModelTrainingRuns.AsNoTracking().Where(r => r.ProjectId == projectId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        return runs.Select(ToView).ToList();
    }

    internal static TrainingRunView ToView(ModelTrainingRun r) => new(
        r.Id, r.Kind, r.Model, r.Field, r.Status, r.Trigger, r.TrainedOn, r.HeldOut, r.HeldOutAccuracy, r.Predicted,
        r.LearningCurveJson is null ? null : JsonSerializer.Deserialize<List<LearningCurvePoint>>(r.LearningCurveJson, CurveJson),
        r.Error, r.StartedAt, r.FinishedAt);

    /// <summary>The single-choice field to learn: the one named, else the first choices field that reads item data.</summary>
    public static SchemaField ResolveField(LabelSchema schema, string? name)
    {
        var field = name is null
            ? schema.Fields.FirstOrDefault(f => f.Kind == FieldKind.Choices && !f.Multiple && f.Source is not null)
            : schema.FindField(name);
        if (field is null)
        {
            throw ServiceException.Invalid(name is null
                ? "the schema has no single-choice field that reads item text; the built-in classifier learns choices fields"
                : $"field: the schema has no field \"{name}\"", name is null ? null : [new("field", $"no field \"{name}\"")]);
        }

        if (field.Kind != FieldKind.Choices || field.Multiple || field.Source is null)
        {
            throw ServiceException.Invalid(
                $"field: \"{field.Name}\" is a {(field.Multiple ? "multiple-choice" : field.Kind.ToName())} field; the built-in classifier learns single-choice fields that read item text",
                [new("field", "must be a single-choice field with a source")]);
        }

        return field;
    }

    private static string? Text(JsonObject? data, SchemaField field) =>
        data?[field.Source!] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    private async Task<bool> RunningAsync(LabelBenchDbContext db, long projectId, CancellationToken ct) => await ModelRuns.AnyRunningAsync(db, projectId, time.GetUtcNow(), ct);

    private async Task<long> LabelsAtLastRunAsync(long projectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ModelRuns.LabelsAtLastAsync(db, projectId, ct);
    }

    /// <summary>Claims the next version number: the unique (project, model) index makes a racing second training fail.</summary>
    private async Task<ModelTrainingRun> StartRunAsync(Caller caller, long projectId, string field, string trigger, long labels, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var previous = await db.ModelTrainingRuns.CountAsync(r => r.ProjectId == projectId && r.Kind == "builtin", ct);
        var run = new ModelTrainingRun
        {
            ProjectId = projectId,
            Kind = "builtin",
            Model = ModelPrefix + (previous + 1).ToString(CultureInfo.InvariantCulture),
            Field = field,
            Status = ModelRuns.Running,
            Trigger = trigger,
            UserId = caller == Caller.System ? null : caller.UserId,
            LabelsAtStart = labels,
            StartedAt = time.GetUtcNow(),
        };
        await ModelRuns.StartAsync(db, run, ct);
        return run;
    }

    private async Task CompleteRunAsync(Caller caller, long projectId, long runId, TrainingOutcome outcome, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var run = await db.ModelTrainingRuns.SingleAsync(r => r.Id == runId, ct);
        run.Status = ModelRuns.Completed;
        run.TrainedOn = outcome.TrainedOn;
        run.HeldOut = outcome.HeldOut;
        run.HeldOutAccuracy = outcome.HeldOutAccuracy;
        run.Predicted = outcome.Predicted;
        run.LearningCurveJson = outcome.LearningCurve is null ? null : JsonSerializer.Serialize(outcome.LearningCurve, CurveJson);
        run.FinishedAt = time.GetUtcNow();
        await audit.AppendAsync(db, "model.trained", caller, projectId, "model", outcome.Model,
            after: new { outcome.Model, outcome.Field, outcome.TrainedOn, outcome.HeldOut, outcome.HeldOutAccuracy, outcome.Predicted, trigger = run.Trigger }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
