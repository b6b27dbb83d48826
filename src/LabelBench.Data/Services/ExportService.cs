using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LabelBench.Core.Agreement;
using LabelBench.Core.Annotations;
using LabelBench.Core.Export;
using LabelBench.Core.Queue;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabelBench.Data.Services;

/// <summary>The file name and type of an export, known before any byte is written.</summary>
/// <param name="AnnotatorsPseudonymised">
/// True when annotators appear as per-project pseudonyms; false when the export contains their identities (e-mail
/// addresses), as the project's lead chose.
/// </param>
public sealed record ExportMeta(string FileName, string ContentType, bool AnnotatorsPseudonymised = true);

/// <summary>What an export wrote: the exporter's counts, the items it read and the annotations they carried.</summary>
public sealed record ExportRun(ExportResult Result, long Items, long Annotations);

/// <summary>
/// Streams a project's dataset from the database into a file or a response, a page of items at a time (keyset
/// pagination), so memory stays flat whatever the project's size.
/// </summary>
/// <remarks>
/// <para>Sources: <c>final</c> is the adjudication, else the agreed result under the project's rule; <c>majority</c>
/// ignores adjudications and decides by majority; <c>dawid-skene</c> ignores adjudications and decides every choices
/// field by Dawid–Skene over all of the project's submitted judgements of that field (the other fields by majority;
/// the item has a final result only when every field is decided); <c>all</c> carries every submitted annotation.</para>
/// <para>Dawid–Skene needs a field's judgements in memory at once, interned to ints by <see cref="JudgementSetBuilder"/>
/// (roughly 20 bytes a judgement plus one id string per item): fine up to millions of annotations.</para>
/// </remarks>
public sealed class ExportService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time, IOptions<LabelBenchOptions> settings)
{
    private const int PageSize = 2000;

    /// <summary>Distinct annotation results kept for sharing before the cache starts again.</summary>
    private const int MaxSharedResults = 10_000;

    /// <summary>Everything a run needs, decided (and access-checked) before the first byte.</summary>
    internal sealed record ExportPlan(Project Project, LabelSchema Schema, ExportFilter Filter, IReadOnlyList<string> Splits, ExportFormat Format);

    /// <summary>Checks the caller may export (leads and reviewers) and that the format fits the schema, and names the download.</summary>
    public async Task<ExportMeta> PrepareAsync(Caller caller, long projectId, ExportRequest request, CancellationToken ct = default)
    {
        var plan = await PlanAsync(caller, projectId, request, ct);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var format = request.FormatInfo;
        return new ExportMeta($"project-{projectId}-{request.Format}-{request.Source}-{stamp}.{format.Extension}", format.ContentType, plan.Project.AnnotatorsPseudonymised);
    }

    public async Task<ExportRun> WriteAsync(Caller caller, long projectId, ExportRequest request, Stream output, CancellationToken ct = default)
    {
        var plan = await PlanAsync(caller, projectId, request, ct);
        var run = await WriteAsync(plan, request, output, progress: null, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await audit.AppendAsync(db, "export.downloaded", caller, projectId, "project", projectId.ToString(CultureInfo.InvariantCulture),
            after: new { request.Format, request.Source, filters = request.Filters(), items = run.Items, records = run.Result.Records }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return run;
    }

    internal async Task<ExportPlan> PlanAsync(Caller caller, long projectId, ExportRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        if (request.FormatInfo.Problem(schema) is { } problem)
        {
            throw ServiceException.Invalid($"format: {problem}", [new("format", problem)]);
        }

        var annotator = request.Annotator;
        if (annotator is not null && annotator.Contains('@', StringComparison.Ordinal))
        {
            // An email names a person: only leads may select by it (reviewers see pseudonyms only).
            if (!roles.Contains(ProjectRole.Lead))
            {
                throw ServiceException.Forbidden("annotator: selecting an annotator by email needs the lead role; use the pseudonym from an export");
            }

            var normalized = annotator.ToUpperInvariant();
            var userId = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct)
                ?? throw ServiceException.Invalid($"annotator: no user has the address \"{annotator}\"", [new("annotator", "no such user")]);
            annotator = Pseudonym.For(userId, project.PseudonymSalt);
        }

        var filter = new ExportFilter { Split = request.Split, Label = request.Label, From = request.From, To = request.To, Annotator = annotator };
        IReadOnlyList<string> splits = [];
        if (request.Format == "yolo")
        {
            splits = await db.Items.AsNoTracking().Where(i => i.ProjectId == projectId && !i.Pending && i.Split != null)
                .Select(i => i.Split!).Distinct().ToListAsync(ct);
        }

        return new ExportPlan(project, schema, filter, splits, request.FormatInfo);
    }

    /// <summary>Writes a planned export; <paramref name="progress"/> hears the number of items read so far now and then.</summary>
    internal async Task<ExportRun> WriteAsync(ExportPlan plan, ExportRequest request, Stream output, IProgress<long>? progress, CancellationToken ct)
    {
        var source = request.SourceKind;
        var dawidSkene = source == ExportSource.DawidSkene ? await DawidSkeneLabelsAsync(plan.Project.Id, plan.Schema, ct) : null;
        var counters = new Counters();
        var items = ItemsAsync(plan, source, dawidSkene, counters, progress, ct);
        var options = new ExportOptions
        {
            Schema = plan.Schema,
            Source = source,
            Splits = plan.Splits,
            Media = new MediaStoreReader(settings.Value.MediaDir),
            OneRowPerAnnotation = source == ExportSource.All,
        };
        var result = await ExportFormats.WriteAsync(request.Format, items, output, options, ct);
        progress?.Report(counters.Read);
        return new ExportRun(result, counters.Items, counters.Annotations);
    }

    private sealed class Counters
    {
        /// <summary>Items read from the database (the progress figure).</summary>
        public long Read;

        /// <summary>Items the filters kept.</summary>
        public long Items;

        public long Annotations;
    }

    private static AgreementRule RuleOf(Project project) => project.AgreementRule == "unanimous" ? AgreementRule.Unanimous : AgreementRule.Majority;

    /// <summary>Items in id order, a page at a time (keyset), with their submitted annotations, final result and media.</summary>
    /// <remarks>
    /// Stored JSON stays text until something reads it (<see cref="StoredJson"/>): JSONL copies most of it straight
    /// through. Annotation results repeat (a classification project has a handful of distinct ones), so identical
    /// texts share one <see cref="StoredJson"/>, parsed once, and an item whose annotations all say the same thing
    /// gets that result's final value from a cache: deciding agreement over equal results is deciding it over one.
    /// </remarks>
    private async IAsyncEnumerable<ExportItem> ItemsAsync(
        ExportPlan plan, ExportSource source, DawidSkeneLabels? dawidSkene, Counters counters, IProgress<long>? progress, [EnumeratorCancellation] CancellationToken ct)
    {
        var project = plan.Project;
        var rule = source is ExportSource.Majority or ExportSource.DawidSkene ? AgreementRule.Majority : RuleOf(project);
        var policy = new OverlapPolicy(Math.Max(1, project.Overlap), project.MaxOverlap, rule);
        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new Dictionary<string, StoredJson>(StringComparer.Ordinal);
        var agreedFinals = new Dictionary<StoredJson, JsonObject?>(ReferenceEqualityComparer.Instance);
        var withAdjudications = source == ExportSource.Final || source == ExportSource.All;
        ExportPageReader pages;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            pages = new ExportPageReader(db, project.Id, plan.Filter.Split, plan.Format.UsesMedia, policy.IsDynamic, withAdjudications);
        }

        // The next page is read from the database on another thread while this one is turned into items and written
        // out: on two cores an export takes about the longer of the two instead of their sum.
        var next = Task.Run(() => pages.ReadAsync(dbFactory, 0, PageSize, ct), ct);
        var page = new List<ExportAnnotation>();
        try
        {
            while (true)
            {
                var rows = await next;
                if (rows.Items.Count == 0)
                {
                    yield break;
                }

                var last = rows.Items[^1].Id;
                next = Task.Run(() => pages.ReadAsync(dbFactory, last, PageSize, ct), ct);
                if (results.Count > MaxSharedResults)
                {
                    // Bounded: a project whose results are all different (spans, boxes) gains nothing from sharing.
                    results.Clear();
                    agreedFinals.Clear();
                }

                var annotations = rows.Annotations;
                var at = 0;
                foreach (var item in rows.Items)
                {
                    while (at < annotations.Count && annotations[at].ItemId < item.Id)
                    {
                        at++;
                    }

                    for (; at < annotations.Count && annotations[at].ItemId == item.Id; at++)
                    {
                        var a = annotations[at];
                        page.Add(new ExportAnnotation(a.Id, PseudonymOf(a.UserId), a.SchemaVersion, "submitted", Shared(a.ResultJson), a.TimeSpentMs, a.SubmittedAt));
                    }

                    List<ExportAnnotation> exported = [.. page];
                    page.Clear();
                    var (final, finalSource) = rows.Adjudications.TryGetValue(item.Id, out var adjudication)
                        ? (QueueService.ParseObject(adjudication), FinalSources.Adjudication)
                        : dawidSkene is not null ? dawidSkene.Decide(plan.Schema, item.Id, exported)
                        // Agreement is decided once the item has all the annotations it asks for: one annotator of two is
                        // no agreement, and nor are two of the three that dynamic overlap asked for after they disagreed.
                        : exported.Count >= policy.Target(item.ExtraOverlap) ? FinalOf(exported) : (null, FinalSources.None);
                    var candidate = new ExportItem(item.Id, item.ExternalId, new StoredJson(item.DataJson), item.Split, exported, final, finalSource)
                    {
                        MediaHash = item.MediaHash,
                        MediaType = item.MediaType,
                        Width = item.Width,
                        Height = item.Height,
                    };
                    counters.Read++;
                    if (plan.Filter.Apply(candidate, source) is { } kept)
                    {
                        counters.Items++;
                        counters.Annotations += kept.Annotations.Count;
                        yield return kept;
                    }
                }

                progress?.Report(counters.Read);
            }
        }
        finally
        {
            // A page still being read when the export stops (finished, failed or cancelled) is waited for, not leaked.
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        StoredJson Shared(string json)
        {
            if (!results.TryGetValue(json, out var stored))
            {
                results[json] = stored = new StoredJson(json);
            }

            return stored;
        }

        (JsonObject? Final, string Source) FinalOf(List<ExportAnnotation> exported)
        {
            JsonObject? final;
            var same = exported[0].StoredResult;
            var allSame = true;
            foreach (var a in exported)
            {
                allSame &= ReferenceEquals(a.StoredResult, same);
            }

            if (allSame)
            {
                if (!agreedFinals.TryGetValue(same, out final))
                {
                    agreedFinals[same] = final = MajorityAgreement.Decide(plan.Schema, [same.Value], rule);
                }
            }
            else
            {
                final = MajorityAgreement.Decide(plan.Schema, exported.ConvertAll(a => a.Result), rule);
            }

            return final is null ? (null, FinalSources.None) : (final, FinalSources.Agreement);
        }

        // A pseudonym unless the lead turned pseudonymisation off; then the annotator's e-mail address.
        string PseudonymOf(string userId)
        {
            if (!pseudonyms.TryGetValue(userId, out var name))
            {
                pseudonyms[userId] = name = project.AnnotatorsPseudonymised
                    ? Pseudonym.For(userId, project.PseudonymSalt)
                    : EmailOf(userId);
            }

            return name;
        }

        string EmailOf(string userId)
        {
            using var lookup = dbFactory.CreateDbContext();
            return lookup.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefault() ?? userId;
        }
    }

    /// <summary>Runs Dawid–Skene over every choices field's submitted judgements (one pass over the annotations).</summary>
    private async Task<DawidSkeneLabels> DawidSkeneLabelsAsync(long projectId, LabelSchema schema, CancellationToken ct)
    {
        var fields = schema.Fields.Where(f => f.Kind == FieldKind.Choices).ToList();
        var builders = fields.ToDictionary(f => f.Name, _ => new JudgementSetBuilder(), StringComparer.Ordinal);
        if (fields.Count > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await foreach (var a in db.Annotations.AsNoTracking()
                .Where(a => a.ProjectId == projectId && a.Status == AnnotationStatus.Submitted)
                .OrderBy(a => a.Id)
                .Select(a => new { a.ItemId, a.UserId, a.ResultJson })
                .AsAsyncEnumerable().WithCancellation(ct))
            {
                var result = QueueService.ParseObject(a.ResultJson);
                var item = a.ItemId.ToString(CultureInfo.InvariantCulture);
                foreach (var field in fields)
                {
                    builders[field.Name].Add(item, a.UserId, DawidSkeneLabels.Label(result[field.Name]));
                }
            }
        }

        var decided = new Dictionary<string, (JudgementSet Set, Dictionary<long, int> Labels)>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var set = builders[field.Name].Build();
            var labels = new Dictionary<long, int>();
            if (set.JudgementCount > 0)
            {
                foreach (var aggregated in DawidSkene.Aggregate(set).Items)
                {
                    labels[long.Parse(aggregated.Item, CultureInfo.InvariantCulture)] = set.IndexOfLabel(aggregated.Label);
                }
            }

            decided[field.Name] = (set, labels);
        }

        return new DawidSkeneLabels(decided);
    }

    /// <summary>The Dawid–Skene label of each item, per choices field, as an index into that field's judgement set.</summary>
    private sealed class DawidSkeneLabels(Dictionary<string, (JudgementSet Set, Dictionary<long, int> Labels)> fields)
    {
        /// <summary>A judgement's label: a choice, or several choices sorted and joined with "|"; empty is missing.</summary>
        public static string? Label(JsonNode? value) => value switch
        {
            null => null,
            JsonArray a => a.Count == 0 ? null : string.Join("|", a.Select(x => x?.ToString()).Order(StringComparer.Ordinal)),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
            _ => value.ToJsonString(),
        };

        public (JsonObject? Final, string Source) Decide(LabelSchema schema, long itemId, List<ExportAnnotation> annotations)
        {
            if (annotations.Count == 0)
            {
                return (null, FinalSources.None);
            }

            var others = new LabelSchema(schema.Fields.Where(f => f.Kind != FieldKind.Choices).ToList());
            var final = others.Fields.Count == 0 ? [] : MajorityAgreement.Decide(others, annotations.Select(a => a.Result).ToList(), AgreementRule.Majority);
            if (final is null)
            {
                return (null, FinalSources.None);
            }

            var result = new JsonObject();
            foreach (var field in schema.Fields)
            {
                if (field.Kind == FieldKind.Choices)
                {
                    var (set, labels) = fields[field.Name];
                    if (labels.TryGetValue(itemId, out var index))
                    {
                        var label = set.Labels[index];
                        result[field.Name] = field.Multiple ? new JsonArray(label.Split('|').Select(l => (JsonNode?)l).ToArray()) : label;
                    }
                }
                else if (final[field.Name] is { } value)
                {
                    result[field.Name] = value.DeepClone();
                }
            }

            return (result, FinalSources.DawidSkene);
        }
    }
}

/// <summary>Reads media from the store's layout, <c>media/&lt;h[0..2]&gt;/&lt;h[2..4]&gt;/&lt;hash&gt;</c>.</summary>
public sealed class MediaStoreReader(string mediaDir) : IMediaReader
{
    public Stream? Open(string hash)
    {
        // Only a SHA-256 in hex names a file: nothing else can reach outside the store.
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        var path = Path.Combine(mediaDir, hash[..2], hash[2..4], hash);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true) : null;
    }
}
