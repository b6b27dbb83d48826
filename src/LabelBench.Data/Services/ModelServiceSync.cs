using System.Globalization;
using LabelBench.Core.ActiveLearning;
using LabelBench.Core.Import;
using LabelBench.Data.ActiveLearning;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.Services;

/// <summary>What a round with the model service did: labels sent to <c>/train</c>, items asked about and predictions stored from <c>/predict</c>.</summary>
public sealed record ModelServiceRound(long RunId, int LabelsSent, int Requested, int Predicted, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Exchanges with a project's external model service: sends it the final labels that are new since the last time
/// (<c>/train</c>) and asks it about every item without a final label (<c>/predict</c>), storing its answers as
/// predictions. The service's answers are checked like a predictions file: unknown items and results that do not
/// fit the schema are reported and left out.
/// </summary>
public sealed class ModelServiceSync(
    IDbContextFactory<LabelBenchDbContext> dbFactory,
    ModelServiceClient client,
    OutboundConnectionGuard guard,
    PredictionService predictions,
    IOptionsMonitor<ModelServiceOptions> options,
    AuditLog audit,
    TimeProvider time,
    ILogger<ModelServiceSync> logger)
{
    private const int MaxRejectionsKept = 1000;

    /// <summary>"Fetch predictions now": asks the service about every item without a final label.</summary>
    public async Task<ModelServiceRound> FetchPredictionsAsync(Caller caller, long projectId, CancellationToken ct = default) =>
        (await RunAsync(caller, projectId, "manual", send: false, fetch: true, minimumNewLabels: null, ct))!;

    /// <summary>Sends the service the final labels that are new since the last labels it got.</summary>
    public async Task<ModelServiceRound> SendLabelsAsync(Caller caller, long projectId, CancellationToken ct = default) =>
        (await RunAsync(caller, projectId, "manual", send: true, fetch: false, minimumNewLabels: null, ct))!;

    /// <summary>A full round (new labels, then predictions); null when fewer than <paramref name="minimumNewLabels"/> labels are new.</summary>
    internal Task<ModelServiceRound?> RoundAsync(Caller caller, long projectId, string trigger, int? minimumNewLabels, CancellationToken ct) =>
        RunAsync(caller, projectId, trigger, send: true, fetch: true, minimumNewLabels, ct);

    /// <summary>Checks the address (given, or the project's) against the SSRF rules and asks <c>/predict</c> about no items.</summary>
    public async Task<ModelServiceTest> TestConnectionAsync(Caller caller, long projectId, string? url, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);
            url ??= await db.Projects.Where(p => p.Id == projectId).Select(p => p.ModelServiceUrl).SingleAsync(ct);
        }

        if (!TryParseUrl(url, out var uri, out var error))
        {
            return new ModelServiceTest(false, error!, 0);
        }

        if (await guard.CheckHostAsync(uri!.IdnHost, ct) is { } refusal)
        {
            return new ModelServiceTest(false, refusal, 0);
        }

        return await client.TestAsync(uri, ct);
    }

    /// <summary>A model service address: absolute http(s), no credentials, query or fragment, at most 500 characters.</summary>
    public static bool TryParseUrl(string? text, out Uri? url, out string? error)
    {
        url = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "modelServiceUrl: the project has no model service address; set one first";
            return false;
        }

        text = text.Trim();
        if (text.Length > 500)
        {
            error = "modelServiceUrl: at most 500 characters";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            error = $"modelServiceUrl: \"{text}\" is not an http:// or https:// address";
            return false;
        }

        if (parsed.UserInfo.Length > 0 || parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            error = "modelServiceUrl: give the service's base address without credentials, query or fragment (LabelBench adds /predict and /train)";
            return false;
        }

        url = parsed;
        return true;
    }

    private async Task<ModelServiceRound?> RunAsync(Caller caller, long projectId, string trigger, bool send, bool fetch, int? minimumNewLabels, CancellationToken ct)
    {
        FinalLabelRule rule;
        UncertaintyMeasure measure;
        Uri url;
        DateTimeOffset? labelsSince;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead);
            var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => new { p.ModelServiceUrl, p.UncertaintyMeasure }).SingleAsync(ct);
            if (!TryParseUrl(project.ModelServiceUrl, out var parsed, out var error))
            {
                throw ServiceException.Invalid(error!, [new("modelServiceUrl", error!)]);
            }

            url = parsed!;
            measure = UncertaintyMeasures.ParseOrDefault(project.UncertaintyMeasure);
            rule = await FinalLabelRule.LoadAsync(db, projectId, ct);
            labelsSince = await db.ModelTrainingRuns.AsNoTracking()
                .Where(r => r.ProjectId == projectId && r.Kind == "service" && r.Status == ModelRuns.Completed && r.LabelsUntil != null)
                .OrderByDescending(r => r.LabelsUntil).Select(r => r.LabelsUntil).FirstOrDefaultAsync(ct);
        }

        var startedAt = time.GetUtcNow();
        // Every final label's item: they are not sent to /predict, and their count is where automatic rounds count from.
        var labelled = (await FinalLabels.AllAsync(dbFactory, rule, withData: false, ct)).Select(f => f.ItemId).ToHashSet();
        var newLabels = send ? await NewLabelsAsync(rule, labelsSince, ct) : [];
        if (minimumNewLabels is { } needed && newLabels.Count < needed)
        {
            return null;
        }

        var run = new ModelTrainingRun
        {
            ProjectId = projectId,
            Kind = "service",
            Status = ModelRuns.Running,
            Trigger = trigger,
            UserId = caller == Caller.System ? null : caller.UserId,
            LabelsAtStart = labelled.Count,
            StartedAt = startedAt,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ModelRuns.StartAsync(db, run, ct);
        }

        try
        {
            var batchSize = options.CurrentValue.BatchSize;
            foreach (var chunk in newLabels.Chunk(batchSize))
            {
                await client.TrainAsync(url, projectId, chunk.Select(l => new ModelServiceLabel(l.ItemId, l.ExternalId, l.Data ?? [], l.Result)).ToList(), ct);
            }

            var (requested, stored, rejected) = fetch ? await FetchAsync(projectId, rule, measure, url, labelled, ct) : (0, 0, new List<ImportRejection>());
            var round = new ModelServiceRound(run.Id, newLabels.Count, requested, stored, rejected);
            await CompleteAsync(caller, projectId, run.Id, round, send ? startedAt : null, ct);
            logger.LogInformation("Project {ProjectId}: model service {Url} got {Labels} labels, was asked about {Requested} items, {Predicted} predictions stored, {Rejected} refused.",
                projectId, url, newLabels.Count, requested, stored, rejected.Count);
            return round;
        }
        catch (Exception ex)
        {
            await ModelRuns.FailAsync(dbFactory, run.Id, ex, time.GetUtcNow(), logger);
            if (ex is ModelServiceException service)
            {
                throw ServiceException.Invalid($"the model service failed: {service.Message}");
            }

            throw;
        }
    }

    /// <summary>Final labels decided after <paramref name="since"/> (all of them the first time).</summary>
    private async Task<List<FinalLabel>> NewLabelsAsync(FinalLabelRule rule, DateTimeOffset? since, CancellationToken ct)
    {
        if (since is null)
        {
            return await FinalLabels.AllAsync(dbFactory, rule, withData: true, ct);
        }

        List<long> changed;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var at = since.Value;
            var adjudicated = await db.Adjudications.AsNoTracking().Where(a => a.ProjectId == rule.ProjectId && a.CreatedAt > at).Select(a => a.ItemId).ToListAsync(ct);
            var submitted = await db.Annotations.AsNoTracking()
                .Where(a => a.ProjectId == rule.ProjectId && a.Status == AnnotationStatus.Submitted && a.SubmittedAt > at).Select(a => a.ItemId).Distinct().ToListAsync(ct);
            changed = adjudicated.Concat(submitted).Distinct().ToList();
        }

        var labels = new List<FinalLabel>();
        await foreach (var page in FinalLabels.PagesAsync(dbFactory, rule, withData: true, changed, ct))
        {
            labels.AddRange(page);
        }

        return labels;
    }

    private async Task<(int Requested, int Stored, List<ImportRejection> Rejected)> FetchAsync(
        long projectId, FinalLabelRule rule, UncertaintyMeasure measure, Uri url, HashSet<long> labelled, CancellationToken ct)
    {
        var source = ModelServiceClient.Endpoint(url, "predict").ToString();
        var batchSize = options.CurrentValue.BatchSize;
        var rejected = new List<ImportRejection>();
        var requested = 0;
        var stored = 0;
        long after = 0;
        while (true)
        {
            List<ModelServiceItem> batch = [];
            while (batch.Count < batchSize)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var page = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending && i.Id > after)
                    .OrderBy(i => i.Id).Take(batchSize - batch.Count).Select(i => new { i.Id, i.ExternalId, i.DataJson }).ToListAsync(ct);
                if (page.Count == 0)
                {
                    break;
                }

                after = page[^1].Id;
                batch.AddRange(page.Where(i => !labelled.Contains(i.Id)).Select(i => new ModelServiceItem(i.Id, i.ExternalId, QueueService.ParseObject(i.DataJson))));
            }

            if (batch.Count == 0)
            {
                return (requested, stored, rejected);
            }

            requested += batch.Count;
            var answer = await client.PredictAsync(url, batch, ct);
            var asked = batch.ToDictionary(i => i.Id);
            var askedExternal = batch.Where(i => i.ExternalId is not null).GroupBy(i => i.ExternalId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
            var lines = new List<PredictionLine>();
            var problems = new List<ImportRejection>();
            for (var i = 0; i < answer.Count; i++)
            {
                var row = PredictionLineReader.Parse(answer[i], i + 1, source);
                if (row.Rejection is { } rejection)
                {
                    problems.Add(rejection with { Error = $"predictions[{i}]: {rejection.Error}" });
                    continue;
                }

                var line = row.Line!;
                var known = line.ItemId is { } id ? asked.ContainsKey(id) : askedExternal.ContainsKey(line.ExternalId!);
                if (!known)
                {
                    problems.Add(new ImportRejection(source, i + 1, $"predictions[{i}]: item {line.ItemId?.ToString(CultureInfo.InvariantCulture) ?? $"\"{line.ExternalId}\""} was not among the items sent"));
                    continue;
                }

                lines.Add(line);
            }

            List<(long ItemId, PredictionLine Line)> accepted;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                accepted = await PredictionService.ResolveAsync(db, projectId, rule.Schema, lines, source, problems, ct);
            }

            stored += await predictions.StoreAsync(projectId, measure, accepted.Select(a => new PredictionToStore(a.ItemId, a.Line.Prediction)).ToList(), ct);
            rejected.AddRange(problems.Take(Math.Max(0, MaxRejectionsKept - rejected.Count)));
        }
    }

    private async Task CompleteAsync(Caller caller, long projectId, long runId, ModelServiceRound round, DateTimeOffset? labelsUntil, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var run = await db.ModelTrainingRuns.SingleAsync(r => r.Id == runId, ct);
        run.Status = ModelRuns.Completed;
        run.TrainedOn = round.LabelsSent;
        run.Predicted = round.Predicted;
        run.LabelsUntil = labelsUntil;
        run.FinishedAt = time.GetUtcNow();
        var warning = round.Rejected.Count == 0 ? null : $"{round.Rejected.Count} prediction(s) refused; first: {round.Rejected[0]}";
        run.Error = warning is { Length: > 2000 } ? warning[..2000] : warning;
        await audit.AppendAsync(db, "model.service.round", caller, projectId, "model", run.Id.ToString(CultureInfo.InvariantCulture),
            after: new { labelsSent = round.LabelsSent, requested = round.Requested, predicted = round.Predicted, rejected = round.Rejected.Count, trigger = run.Trigger }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
