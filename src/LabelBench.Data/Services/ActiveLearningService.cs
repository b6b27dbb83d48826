using System.Text.Json.Nodes;
using LabelBench.Core.ActiveLearning;
using LabelBench.Core.Schemas;
using LabelBench.Data.ActiveLearning;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace LabelBench.Data.Services;

/// <summary>A project's model-loop settings.</summary>
/// <param name="UncertaintyMeasure"><c>least-confidence</c>, <c>margin</c> or <c>entropy</c>.</param>
/// <param name="AutoTrainEvery">Retrain after this many new final labels; 0 is off.</param>
/// <param name="ModelServiceUrl">The external model service's base address, if any.</param>
/// <param name="QueueOrder">The queue order, for the page to say whether uncertainty drives it.</param>
public sealed record ModelSettings(string UncertaintyMeasure, int AutoTrainEvery, string? ModelServiceUrl, string QueueOrder);

/// <summary>A change of model-loop settings: only what is given changes; an empty <see cref="ModelServiceUrl"/> removes the service.</summary>
public sealed record ModelSettingsUpdate(string? UncertaintyMeasure = null, int? AutoTrainEvery = null, string? ModelServiceUrl = null);

/// <summary>Model versus human for a project: every model version's agreement with final labels and accepted pre-annotations, the rounds run, and the latest learning curve.</summary>
public sealed record ModelReport(
    long ProjectId,
    long FinalLabels,
    IReadOnlyList<ModelVersionAgreement> Versions,
    IReadOnlyList<TrainingRunView> Runs,
    IReadOnlyList<LearningCurvePoint>? LearningCurve,
    string? LearningCurveModel,
    IReadOnlyList<string> TrainableFields,
    DateTimeOffset ComputedAt);

/// <summary>An item whose final label differs from its newest prediction.</summary>
public sealed record ModelDisagreement(long ItemId, string? ExternalId, string Preview, JsonObject Final, JsonObject Prediction, string Model, double? Confidence);

public sealed record ModelDisagreementPage(int Page, int PageSize, long Total, IReadOnlyList<ModelDisagreement> Items);

/// <summary>
/// The model loop as leads see it: its settings (uncertainty measure, automatic retraining, model service), how each
/// model version compares with the humans, and the items where the humans decided against the newest prediction.
/// </summary>
public sealed class ActiveLearningService(
    IDbContextFactory<LabelBenchDbContext> dbFactory,
    PredictionService predictions,
    OutboundConnectionGuard guard,
    IMemoryCache cache,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxAutoTrainEvery = 1_000_000;

    public async Task<ModelSettings> SettingsAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        return await db.Projects.AsNoTracking().Where(p => p.Id == projectId)
            .Select(p => new ModelSettings(p.UncertaintyMeasure, p.AutoTrainEvery, p.ModelServiceUrl, p.QueueOrder)).SingleAsync(ct);
    }

    /// <summary>
    /// Changes the settings (leads). A new model service address must pass the SSRF rules on its current DNS answer
    /// (every later connection is checked again); a new uncertainty measure re-scores every item's newest prediction.
    /// </summary>
    public async Task<ModelSettings> UpdateSettingsAsync(Caller caller, long projectId, ModelSettingsUpdate update, CancellationToken ct = default)
    {
        var problems = new List<ValidationError>();
        if (update.UncertaintyMeasure is { } m && !UncertaintyMeasures.TryParse(m, out _))
        {
            problems.Add(new("uncertaintyMeasure", $"must be one of {string.Join(", ", UncertaintyMeasures.Names)}, not \"{m}\""));
        }

        if (update.AutoTrainEvery is < 0 or > MaxAutoTrainEvery)
        {
            problems.Add(new("autoTrainEvery", $"must be 0 (off) up to {MaxAutoTrainEvery} new final labels"));
        }

        string? url = null;
        var clearUrl = update.ModelServiceUrl is { } given && string.IsNullOrWhiteSpace(given);
        if (update.ModelServiceUrl is { } text && !clearUrl)
        {
            if (!ModelServiceSync.TryParseUrl(text, out var uri, out var error))
            {
                problems.Add(new("modelServiceUrl", error!));
            }
            else if (await guard.CheckHostAsync(uri!.IdnHost, ct) is { } refusal)
            {
                problems.Add(new("modelServiceUrl", refusal));
            }
            else
            {
                url = uri.ToString();
            }
        }

        if (problems.Count > 0)
        {
            throw ServiceException.Invalid(string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")), problems);
        }

        ModelSettings before;
        ModelSettings after;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var project = await db.Projects.SingleAsync(p => p.Id == projectId, ct);
            before = new ModelSettings(project.UncertaintyMeasure, project.AutoTrainEvery, project.ModelServiceUrl, project.QueueOrder);
            project.UncertaintyMeasure = update.UncertaintyMeasure ?? project.UncertaintyMeasure;
            project.AutoTrainEvery = update.AutoTrainEvery ?? project.AutoTrainEvery;
            project.ModelServiceUrl = clearUrl ? null : url ?? project.ModelServiceUrl;
            after = new ModelSettings(project.UncertaintyMeasure, project.AutoTrainEvery, project.ModelServiceUrl, project.QueueOrder);
            if (after != before)
            {
                await audit.AppendAsync(db, "model.settings.changed", caller, projectId, "project", projectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    before: before, after: after, ct: ct);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        if (after.UncertaintyMeasure != before.UncertaintyMeasure)
        {
            await predictions.RecomputeUncertaintyAsync(projectId, UncertaintyMeasures.ParseOrDefault(after.UncertaintyMeasure), ct);
        }

        return after;
    }

    /// <summary>Model versus human (leads and reviewers), cached until annotations, adjudications, predictions or rounds change.</summary>
    public async Task<ModelReport> ReportAsync(Caller caller, long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var key = (nameof(ReportAsync), await VersionKeyAsync(db, projectId, ct));
        if (cache.TryGetValue(key, out ModelReport? cached) && cached is not null)
        {
            return cached;
        }

        var rule = await FinalLabelRule.LoadAsync(db, projectId, ct);
        var builder = new ModelAgreementBuilder(rule.Schema);
        var totals = await db.Predictions.AsNoTracking().Where(p => p.ProjectId == projectId)
            .GroupBy(p => p.Model).Select(g => new { Model = g.Key, Count = g.LongCount(), FirstId = g.Min(p => p.Id) }).ToListAsync(ct);
        var firstIds = totals.Select(t => t.FirstId).ToList();
        var firstAt = await db.Predictions.AsNoTracking().Where(p => firstIds.Contains(p.Id)).Select(p => new { p.Id, p.CreatedAt }).ToDictionaryAsync(p => p.Id, p => p.CreatedAt, ct);
        foreach (var t in totals)
        {
            builder.AddPredictions(t.Model, t.Count, firstAt.GetValueOrDefault(t.FirstId));
        }

        var shown = await (from a in db.Annotations.AsNoTracking()
                           where a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted && a.PredictionId != null
                           join p in db.Predictions on a.PredictionId equals p.Id
                           select new { p.Model, Accepted = a.PredictionAcceptedUnchanged == true ? 1 : 0 })
            .GroupBy(x => x.Model).Select(g => new { Model = g.Key, Shown = g.LongCount(), Accepted = g.Sum(x => (long)x.Accepted) }).ToListAsync(ct);
        foreach (var s in shown)
        {
            builder.AddPreAnnotations(s.Model, s.Shown, s.Accepted);
        }

        long finalCount = 0;
        await foreach (var page in FinalLabels.PagesAsync(dbFactory, rule, withData: false, ct: ct))
        {
            finalCount += page.Count;
            var finals = page.ToDictionary(f => f.ItemId, f => f.Result);
            var ids = finals.Keys.ToList();
            await using var pdb = await dbFactory.CreateDbContextAsync(ct);
            await foreach (var p in pdb.Predictions.AsNoTracking().Where(p => ids.Contains(p.ItemId))
                .Select(p => new { p.ItemId, p.Model, p.ResultJson }).AsAsyncEnumerable().WithCancellation(ct))
            {
                builder.Compare(p.Model, QueueService.ParseObject(p.ResultJson), finals[p.ItemId]);
            }
        }

        var runs = await db.ModelTrainingRuns.AsNoTracking().Where(r => r.ProjectId == projectId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(20).ToListAsync(ct);
        var curveRun = await db.ModelTrainingRuns.AsNoTracking()
            .Where(r => r.ProjectId == projectId && r.Status == ModelRuns.Completed && r.LearningCurveJson != null)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var trainable = rule.Schema.Fields.Where(f => f.Kind == FieldKind.Choices && !f.Multiple && f.Source is not null).Select(f => f.Name).ToList();
        var report = new ModelReport(projectId, finalCount, builder.Build(), runs.Select(ModelTrainingService.ToView).ToList(),
            curveRun is null ? null : ModelTrainingService.ToView(curveRun).LearningCurve, curveRun?.Model, trainable, time.GetUtcNow());
        cache.Set(key, report, TimeSpan.FromMinutes(30));
        return report;
    }

    /// <summary>
    /// Items whose final label differs from their newest prediction, the most confident predictions first (where the
    /// model was surest and still wrong: a labelling error or a model blind spot).
    /// </summary>
    public async Task<ModelDisagreementPage> DisagreementsAsync(Caller caller, long projectId, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        if (page < 1 || pageSize is < 1 or > 500)
        {
            throw ServiceException.Invalid("page starts at 1 and pageSize is 1..500");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var key = (nameof(DisagreementsAsync), await VersionKeyAsync(db, projectId, ct));
        if (!cache.TryGetValue(key, out List<DisagreementEntry>? entries) || entries is null)
        {
            entries = await ComputeDisagreementsAsync(db, projectId, ct);
            cache.Set(key, entries, TimeSpan.FromMinutes(30));
        }

        var slice = entries.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var ids = slice.Select(e => e.ItemId).ToList();
        var items = await db.Items.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.ExternalId, i.DataJson }).ToDictionaryAsync(i => i.Id, ct);
        var schema = (await FinalLabelRule.LoadAsync(db, projectId, ct)).Schema;
        var rows = slice.Where(e => items.ContainsKey(e.ItemId)).Select(e => new ModelDisagreement(
            e.ItemId, items[e.ItemId].ExternalId, Preview(schema, QueueService.ParseObject(items[e.ItemId].DataJson)),
            QueueService.ParseObject(e.FinalJson), QueueService.ParseObject(e.PredictionJson), e.Model, e.Confidence)).ToList();
        return new ModelDisagreementPage(page, pageSize, entries.Count, rows);
    }

    private async Task<List<DisagreementEntry>> ComputeDisagreementsAsync(LabelBenchDbContext db, long projectId, CancellationToken ct)
    {
        var rule = await FinalLabelRule.LoadAsync(db, projectId, ct);
        var entries = new List<DisagreementEntry>();
        await foreach (var page in FinalLabels.PagesAsync(dbFactory, rule, withData: false, ct: ct))
        {
            await using var pdb = await dbFactory.CreateDbContextAsync(ct);
            var newest = await PredictionService.NewestAsync(pdb, page.Select(f => f.ItemId).ToList(), ct);
            foreach (var final in page)
            {
                if (newest.TryGetValue(final.ItemId, out var prediction)
                    && ResultComparison.Agrees(rule.Schema, QueueService.ParseObject(prediction.ResultJson), final.Result) == false)
                {
                    entries.Add(new DisagreementEntry(final.ItemId, final.Result.ToJsonString(), prediction.ResultJson, prediction.Model, prediction.TopScore));
                }
            }
        }

        return entries.OrderByDescending(e => e.Confidence.HasValue).ThenByDescending(e => e.Confidence).ThenBy(e => e.ItemId).ToList();
    }

    /// <summary>Changes whenever anything the model figures depend on changes.</summary>
    private static async Task<(long, long, int, long, long, int, DateTimeOffset, int, int)> VersionKeyAsync(LabelBenchDbContext db, long projectId, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.SubmittedCount, p.CurrentSchemaVersion }).SingleAsync(ct);
        var adjudications = await db.Adjudications.CountAsync(a => a.ProjectId == projectId, ct);
        var lastAdjudication = await db.Adjudications.Where(a => a.ProjectId == projectId).OrderByDescending(a => a.CreatedAt).Select(a => a.CreatedAt).FirstOrDefaultAsync(ct);
        var predictionCount = await db.Predictions.LongCountAsync(p => p.ProjectId == projectId, ct);
        var lastPrediction = await db.Predictions.Where(p => p.ProjectId == projectId).MaxAsync(p => (long?)p.Id, ct) ?? 0;
        var runs = await db.ModelTrainingRuns.CountAsync(r => r.ProjectId == projectId, ct);
        var finished = await db.ModelTrainingRuns.CountAsync(r => r.ProjectId == projectId && r.Status != ModelRuns.Running, ct);
        return (projectId, project.SubmittedCount, project.CurrentSchemaVersion, predictionCount, lastPrediction, adjudications, lastAdjudication, runs, finished);
    }

    private static string Preview(LabelSchema schema, JsonObject data)
    {
        foreach (var key in schema.DataKeys())
        {
            if (data[key] is JsonValue v && v.TryGetValue<string>(out var s))
            {
                return s.Length > 200 ? s[..199] + "…" : s;
            }
        }

        var json = data.ToJsonString();
        return json.Length > 200 ? json[..199] + "…" : json;
    }

    private sealed record DisagreementEntry(long ItemId, string FinalJson, string PredictionJson, string Model, double? Confidence);
}
