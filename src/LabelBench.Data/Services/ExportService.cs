using System.Runtime.CompilerServices;
using LabelBench.Core.Annotations;
using LabelBench.Core.Export;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>What to export: a format id of CONTRACT.md and which labels.</summary>
public sealed record ExportRequest(string Format, string Source)
{
    /// <summary>The formats this server writes, id → description.</summary>
    public static IReadOnlyDictionary<string, string> Formats { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["jsonl"] = "JSONL (full fidelity)",
        ["csv"] = "CSV (one row per item, spreadsheet-safe)",
    };

    public static IReadOnlySet<string> Sources { get; } = new HashSet<string>(StringComparer.Ordinal) { "final", "majority", "all" };

    public static ExportRequest Parse(string? format, string? source)
    {
        format = string.IsNullOrWhiteSpace(format) ? "jsonl" : format.Trim().ToLowerInvariant();
        source = string.IsNullOrWhiteSpace(source) ? "all" : source.Trim().ToLowerInvariant();
        if (!Formats.ContainsKey(format))
        {
            throw ServiceException.Invalid($"format: \"{format}\" is not one of {string.Join(", ", Formats.Keys)}", [new("format", $"one of {string.Join(", ", Formats.Keys)}")]);
        }

        if (!Sources.Contains(source))
        {
            throw ServiceException.Invalid($"source: \"{source}\" is not one of {string.Join(", ", Sources)}", [new("source", "final, majority or all")]);
        }

        return new ExportRequest(format, source);
    }
}

/// <summary>The file name and type of an export, known before any byte is written.</summary>
/// <param name="AnnotatorsPseudonymised">
/// True when annotators appear as per-project pseudonyms; false when the export contains their identities (e-mail
/// addresses), as the project's lead chose.
/// </param>
public sealed record ExportMeta(string FileName, string ContentType, bool AnnotatorsPseudonymised = true);

/// <summary>Streams a project's dataset from the database into a file or a response, in pages (memory stays flat).</summary>
public sealed class ExportService(IDbContextFactory<LabelBenchDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    private const int PageSize = 500;

    /// <summary>Checks the caller may export (leads and reviewers) and names the download.</summary>
    public async Task<ExportMeta> PrepareAsync(Caller caller, long projectId, ExportRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
        var pseudonymised = await db.Projects.Where(p => p.Id == projectId).Select(p => p.AnnotatorsPseudonymised).SingleAsync(ct);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        return request.Format switch
        {
            "csv" => new ExportMeta($"project-{projectId}-{request.Source}-{stamp}.csv", "text/csv; charset=utf-8", pseudonymised),
            _ => new ExportMeta($"project-{projectId}-{request.Source}-{stamp}.jsonl", "application/x-ndjson; charset=utf-8", pseudonymised),
        };
    }

    public async Task WriteAsync(Caller caller, long projectId, ExportRequest request, Stream output, CancellationToken ct = default)
    {
        LabelSchema schema;
        Project project;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await ProjectAccess.RequireAsync(db, caller, projectId, ct, ProjectRole.Lead, ProjectRole.Reviewer);
            project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
            schema = await QueueService.SchemaAsync(db, projectId, project.CurrentSchemaVersion, ct);
        }

        var rule = request.Source == "majority" ? AgreementRule.Majority : RuleOf(project);
        var items = ItemsAsync(project, schema, rule, request.Source, ct);
        var options = new ExportOptions
        {
            Schema = schema,
            Source = request.Source switch { "final" => ExportSource.Final, "majority" => ExportSource.Majority, _ => ExportSource.All },
        };
        switch (request.Format)
        {
            case "csv":
                await CsvExporter.WriteAsync(items, output, options, ct);
                break;
            default:
                await JsonlExporter.WriteAsync(items, output, options, ct);
                break;
        }

        await using var adb = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await adb.Database.BeginTransactionAsync(ct);
        await audit.AppendAsync(adb, "export.downloaded", caller, projectId, "project", projectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            after: new { request.Format, request.Source, annotatorsPseudonymised = project.AnnotatorsPseudonymised }, ct: ct);
        await adb.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static AgreementRule RuleOf(Project project) => project.AgreementRule == "unanimous" ? AgreementRule.Unanimous : AgreementRule.Majority;

    /// <summary>Items in id order, a page at a time (keyset), with their submitted annotations and adjudication.</summary>
    private async IAsyncEnumerable<ExportItem> ItemsAsync(Project project, LabelSchema schema, AgreementRule rule, string source, [EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        var emails = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var items = await db.Items.AsNoTracking().Where(i => i.ProjectId == project.Id && !i.Pending && i.Id > after)
                .OrderBy(i => i.Id).Take(PageSize).ToListAsync(ct);
            if (items.Count == 0)
            {
                yield break;
            }

            var ids = items.Select(i => i.Id).ToList();
            var annotations = (await db.Annotations.AsNoTracking()
                    .Where(a => ids.Contains(a.ItemId) && a.Status == AnnotationStatus.Submitted)
                    .OrderBy(a => a.Id).ToListAsync(ct))
                .ToLookup(a => a.ItemId);
            var adjudications = await db.Adjudications.AsNoTracking().Where(a => ids.Contains(a.ItemId)).ToDictionaryAsync(a => a.ItemId, ct);
            if (!project.AnnotatorsPseudonymised)
            {
                var unknown = annotations.SelectMany(g => g).Select(a => a.UserId).Where(u => !emails.ContainsKey(u)).Distinct().ToList();
                foreach (var user in await db.Users.AsNoTracking().Where(u => unknown.Contains(u.Id)).Select(u => new { u.Id, u.Email }).ToListAsync(ct))
                {
                    emails[user.Id] = user.Email ?? user.Id;
                }
            }

            foreach (var item in items)
            {
                var exported = annotations[item.Id].Select(a => new ExportAnnotation(
                    a.Id, AnnotatorName(project, a.UserId, emails), a.SchemaVersion, "submitted",
                    QueueService.ParseObject(a.ResultJson), a.TimeSpentMs, a.SubmittedAt ?? a.UpdatedAt)).ToList();
                // Agreement is decided once the item has all its overlap annotations: one annotator of two is no agreement.
                var (final, finalSource) = adjudications.TryGetValue(item.Id, out var adj) && source != "majority"
                    ? (QueueService.ParseObject(adj.ResultJson), FinalSources.Adjudication)
                    : exported.Count >= project.Overlap ? FinalOf(schema, exported, rule) : (null, FinalSources.None);
                yield return new ExportItem(item.Id, item.ExternalId, QueueService.ParseObject(item.DataJson), item.Split, exported, final, finalSource);
            }

            after = items[^1].Id;
        }
    }

    /// <summary>A pseudonym unless the lead turned pseudonymisation off; then the annotator's e-mail address.</summary>
    private static string AnnotatorName(Project project, string userId, Dictionary<string, string> emails) =>
        project.AnnotatorsPseudonymised ? Pseudonym.For(userId, project.PseudonymSalt) : emails.GetValueOrDefault(userId, userId);

    private static (System.Text.Json.Nodes.JsonObject? Final, string Source) FinalOf(LabelSchema schema, List<ExportAnnotation> annotations, AgreementRule rule)
    {
        var final = MajorityAgreement.Decide(schema, annotations.Select(a => a.Result).ToList(), rule);
        return final is null ? (null, FinalSources.None) : (final, FinalSources.Agreement);
    }
}
