using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.ActiveLearning;

/// <summary>An item's final label: its adjudication, else the result its annotators agreed on.</summary>
internal sealed record FinalLabel(long ItemId, string? ExternalId, JsonObject? Data, JsonObject Result, DateTimeOffset? DecidedAt);

/// <summary>The project facts final labels depend on.</summary>
internal sealed record FinalLabelRule(long ProjectId, int Overlap, AgreementRule Rule, LabelSchema Schema)
{
    public static async Task<FinalLabelRule> LoadAsync(LabelBenchDbContext db, long projectId, CancellationToken ct)
    {
        var p = await db.Projects.AsNoTracking().Where(x => x.Id == projectId)
            .Select(x => new { x.Overlap, x.AgreementRule, x.CurrentSchemaVersion }).SingleAsync(ct);
        var schema = await QueueService.SchemaAsync(db, projectId, p.CurrentSchemaVersion, ct);
        return new FinalLabelRule(projectId, p.Overlap, p.AgreementRule == "unanimous" ? AgreementRule.Unanimous : AgreementRule.Majority, schema);
    }
}

/// <summary>
/// Reads final labels as the product defines them: a reviewer's adjudication, else the submitted annotations once the
/// item has its <c>overlap</c> of them and they agree under the project's rule (<see cref="MajorityAgreement"/>).
/// Streams a page of items at a time in id order, each page from its own short-lived context.
/// </summary>
internal static class FinalLabels
{
    public const int PageSize = 500;

    /// <summary>Items that may have a final label (adjudicated, or with enough submissions): a cheap, indexed upper bound.</summary>
    public static IQueryable<Item> Candidates(LabelBenchDbContext db, long projectId, int overlap) =>
        db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending
            && (i.SubmittedCount >= overlap || db.Adjudications.Any(a => a.ItemId == i.Id)));

    public static async IAsyncEnumerable<IReadOnlyList<FinalLabel>> PagesAsync(
        IDbContextFactory<LabelBenchDbContext> dbFactory,
        FinalLabelRule rule,
        bool withData,
        IReadOnlyCollection<long>? onlyItems = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (onlyItems is not null)
        {
            foreach (var chunk in onlyItems.Distinct().Order().Chunk(PageSize))
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var ids = chunk.ToList();
                var items = await Candidates(db, rule.ProjectId, rule.Overlap).Where(i => ids.Contains(i.Id))
                    .OrderBy(i => i.Id).Select(i => new ItemRow(i.Id, i.ExternalId, withData ? i.DataJson : null)).ToListAsync(ct);
                yield return await DecideAsync(db, rule, items, ct);
            }

            yield break;
        }

        long after = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var items = await Candidates(db, rule.ProjectId, rule.Overlap).Where(i => i.Id > after)
                .OrderBy(i => i.Id).Take(PageSize).Select(i => new ItemRow(i.Id, i.ExternalId, withData ? i.DataJson : null)).ToListAsync(ct);
            if (items.Count == 0)
            {
                yield break;
            }

            yield return await DecideAsync(db, rule, items, ct);
            after = items[^1].Id;
        }
    }

    /// <summary>Every final label of the project (for training and reports: the caller holds them all anyway).</summary>
    public static async Task<List<FinalLabel>> AllAsync(IDbContextFactory<LabelBenchDbContext> dbFactory, FinalLabelRule rule, bool withData, CancellationToken ct)
    {
        var all = new List<FinalLabel>();
        await foreach (var page in PagesAsync(dbFactory, rule, withData, null, ct))
        {
            all.AddRange(page);
        }

        return all;
    }

    private static async Task<IReadOnlyList<FinalLabel>> DecideAsync(LabelBenchDbContext db, FinalLabelRule rule, List<ItemRow> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var ids = items.Select(i => i.Id).ToList();
        var adjudications = await db.Adjudications.AsNoTracking().Where(a => ids.Contains(a.ItemId))
            .Select(a => new { a.ItemId, a.ResultJson, a.CreatedAt }).ToDictionaryAsync(a => a.ItemId, ct);
        var annotations = (await db.Annotations.AsNoTracking()
                .Where(a => ids.Contains(a.ItemId) && a.Status == AnnotationStatus.Submitted)
                .OrderBy(a => a.Id).Select(a => new { a.ItemId, a.ResultJson, a.SubmittedAt }).ToListAsync(ct))
            .ToLookup(a => a.ItemId);
        var labels = new List<FinalLabel>(items.Count);
        foreach (var item in items)
        {
            var data = item.DataJson is null ? null : QueueService.ParseObject(item.DataJson);
            if (adjudications.TryGetValue(item.Id, out var adjudication))
            {
                labels.Add(new FinalLabel(item.Id, item.ExternalId, data, QueueService.ParseObject(adjudication.ResultJson), adjudication.CreatedAt));
                continue;
            }

            var submitted = annotations[item.Id].ToList();
            if (submitted.Count < rule.Overlap)
            {
                continue;
            }

            var agreed = MajorityAgreement.Decide(rule.Schema, submitted.Select(a => QueueService.ParseObject(a.ResultJson)).ToList(), rule.Rule);
            if (agreed is not null)
            {
                labels.Add(new FinalLabel(item.Id, item.ExternalId, data, agreed, submitted.Max(a => a.SubmittedAt)));
            }
        }

        return labels;
    }

    private sealed record ItemRow(long Id, string? ExternalId, string? DataJson);
}
