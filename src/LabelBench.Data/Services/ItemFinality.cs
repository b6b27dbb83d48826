using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>
/// Keeps <see cref="Item.Final"/>, <see cref="Project.CompleteCount"/> and <see cref="Project.FinalCount"/> true to the
/// rule: an item is final when a reviewer adjudicated it, or when its submitted annotations reached the overlap (plus
/// the places dynamic overlap opened for it) and agree under the project's agreement rule. Callers run these inside their transaction.
/// </summary>
internal static class ItemFinality
{
    public const int BatchSize = 500;

    public static AgreementRule RuleOf(string rule) => rule == "unanimous" ? AgreementRule.Unanimous : AgreementRule.Majority;

    /// <summary>Recomputes <see cref="Item.Final"/> of the given items; returns how the number of final items changed.</summary>
    public static async Task<int> RefreshAsync(LabelBenchDbContext db, long projectId, int overlap, AgreementRule rule, LabelSchema schema, IReadOnlyCollection<long> itemIds, CancellationToken ct)
    {
        if (itemIds.Count == 0)
        {
            return 0;
        }

        var ids = itemIds.Distinct().ToList();
        var items = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && ids.Contains(i.Id))
            .Select(i => new { i.Id, i.Final, i.SubmittedCount, i.ExtraOverlap }).ToListAsync(ct);
        var adjudicated = (await db.Adjudications.AsNoTracking().Where(a => ids.Contains(a.ItemId)).Select(a => a.ItemId).ToListAsync(ct)).ToHashSet();
        // An item that dynamic overlap opened for more annotators is decided once it has them all, not at the overlap.
        var decide = items.Where(i => i.SubmittedCount >= overlap + i.ExtraOverlap && !adjudicated.Contains(i.Id)).Select(i => i.Id).ToList();
        var rows = decide.Count == 0
            ? []
            : await db.Annotations.AsNoTracking().Where(a => decide.Contains(a.ItemId) && a.Status == AnnotationStatus.Submitted)
                .OrderBy(a => a.Id).Select(a => new { a.ItemId, a.ResultJson }).ToListAsync(ct);
        var results = rows.ToLookup(a => a.ItemId, a => JsonNode.Parse(a.ResultJson) as JsonObject ?? []);
        var becameFinal = new List<long>();
        var stoppedBeingFinal = new List<long>();
        foreach (var item in items)
        {
            var final = adjudicated.Contains(item.Id)
                || (item.SubmittedCount >= overlap + item.ExtraOverlap && MajorityAgreement.Decide(schema, results[item.Id].ToList(), rule) is not null);
            if (final != item.Final)
            {
                (final ? becameFinal : stoppedBeingFinal).Add(item.Id);
            }
        }

        if (becameFinal.Count > 0)
        {
            await db.Items.Where(i => becameFinal.Contains(i.Id)).ExecuteUpdateAsync(s => s.SetProperty(i => i.Final, true), ct);
        }

        if (stoppedBeingFinal.Count > 0)
        {
            await db.Items.Where(i => stoppedBeingFinal.Contains(i.Id)).ExecuteUpdateAsync(s => s.SetProperty(i => i.Final, false), ct);
        }

        return becameFinal.Count - stoppedBeingFinal.Count;
    }

    /// <summary>Refreshes every item of the project whose submitted count lies in [<paramref name="from"/>, <paramref name="to"/>), a batch at a time.</summary>
    public static async Task RefreshRangeAsync(LabelBenchDbContext db, long projectId, int overlap, AgreementRule rule, LabelSchema schema, int from, int to, CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            var batch = await db.Items.AsNoTracking()
                .Where(i => i.ProjectId == projectId && i.SubmittedCount >= from && i.SubmittedCount < to && i.Id > after)
                .OrderBy(i => i.Id).Select(i => i.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return;
            }

            await RefreshAsync(db, projectId, overlap, rule, schema, batch, ct);
            after = batch[^1];
        }
    }

    /// <summary>Sets the project's complete and final counters from the items (indexed counts), after a bulk change.</summary>
    public static async Task RecountAsync(LabelBenchDbContext db, long projectId, int overlap, CancellationToken ct)
    {
        var complete = await db.Items.LongCountAsync(i => i.ProjectId == projectId && i.SubmittedCount >= overlap, ct);
        var final = await db.Items.LongCountAsync(i => i.ProjectId == projectId && i.Final, ct);
        await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.CompleteCount, complete).SetProperty(p => p.FinalCount, final), ct);
    }
}
