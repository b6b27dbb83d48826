using System.Globalization;
using System.Text.Json;
using LabelBench.Core.Guidelines;
using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace LabelBench.Data.Services;

/// <summary>Everything a lead sets about a project apart from its schema and members.</summary>
/// <param name="Overlap">Distinct annotators per item.</param>
/// <param name="AllowSelfReview">Reviewers may adjudicate items they annotated themselves.</param>
/// <param name="LeaseMinutes">How long an item handed out stays reserved for its annotator.</param>
/// <param name="AgreementRule"><c>majority</c> or <c>unanimous</c>: when submitted annotations make a final label.</param>
/// <param name="HiddenDataKeys">Item data keys shown to leads and reviewers only.</param>
/// <param name="MaskPii">Mask e-mail addresses, phone numbers and similar identifiers in text shown to annotators.</param>
/// <param name="AnnotatorsPseudonymised">Exports name annotators by pseudonym (true) or e-mail address (false).</param>
public sealed record ProjectSettings(
    string Name,
    string? Description,
    int Overlap,
    string QueueOrder,
    bool Blind,
    bool ShowPredictions,
    bool AllowSelfReview,
    int LeaseMinutes,
    string AgreementRule,
    string? Guidelines,
    IReadOnlyList<string> HiddenDataKeys,
    bool MaskPii,
    bool AnnotatorsPseudonymised,
    DateTimeOffset? ArchivedAt);

/// <summary>A change of settings: only the properties given (not null) change; an empty description or guidelines clears them.</summary>
public sealed record ProjectSettingsUpdate
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public int? Overlap { get; init; }
    public string? QueueOrder { get; init; }
    public bool? Blind { get; init; }
    public bool? ShowPredictions { get; init; }
    public bool? AllowSelfReview { get; init; }
    public int? LeaseMinutes { get; init; }
    public string? AgreementRule { get; init; }
    public string? Guidelines { get; init; }
    public IReadOnlyList<string>? HiddenDataKeys { get; init; }
    public bool? MaskPii { get; init; }
    public bool? AnnotatorsPseudonymised { get; init; }

    /// <summary>Every setting of <paramref name="s"/>, as the settings form saves them.</summary>
    public static ProjectSettingsUpdate From(ProjectSettings s) => new()
    {
        Name = s.Name,
        Description = s.Description ?? string.Empty,
        Overlap = s.Overlap,
        QueueOrder = s.QueueOrder,
        Blind = s.Blind,
        ShowPredictions = s.ShowPredictions,
        AllowSelfReview = s.AllowSelfReview,
        LeaseMinutes = s.LeaseMinutes,
        AgreementRule = s.AgreementRule,
        Guidelines = s.Guidelines ?? string.Empty,
        HiddenDataKeys = s.HiddenDataKeys,
        MaskPii = s.MaskPii,
        AnnotatorsPseudonymised = s.AnnotatorsPseudonymised,
    };
}

public sealed partial class ProjectService
{
    public const int MaxOverlap = 50;
    public const int MaxLeaseMinutes = 24 * 60;
    public const int MaxHiddenDataKeys = 200;

    public static readonly IReadOnlySet<string> AgreementRules = new HashSet<string>(StringComparer.Ordinal) { "majority", "unanimous" };

    /// <summary>Changes settings (leads and admins). An overlap change reopens or closes items and recounts progress at once.</summary>
    public async Task<ProjectSettings> UpdateSettingsAsync(Caller caller, long projectId, ProjectSettingsUpdate update, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ProjectAccess.RequireLeadAsync(db, caller, projectId, ct);
        var current = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct);
        var schema = await QueueService.SchemaAsync(db, projectId, current.CurrentSchemaVersion, ct);
        var problems = ValidateSettings(update, schema);
        if (problems.Count > 0)
        {
            throw ServiceException.Invalid(string.Join("; ", problems), problems);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var project = await db.Projects.SingleAsync(p => p.Id == projectId, ct);
        var before = Describe(SettingsOf(project));
        var oldOverlap = project.Overlap;
        var oldRule = project.AgreementRule;
        Apply(project, update);
        var after = Describe(SettingsOf(project));
        var changed = after.Keys.Where(k => JsonSerializer.Serialize(before[k]) != JsonSerializer.Serialize(after[k])).ToList();
        if (changed.Count == 0)
        {
            return SettingsOf(project);
        }

        await db.SaveChangesAsync(ct);
        if (project.Overlap != oldOverlap || project.AgreementRule != oldRule)
        {
            await RecountProgressAsync(db, project, oldOverlap, oldRule, schema, ct);
        }

        await audit.AppendAsync(db, "project.settings.updated", caller, projectId, "project", projectId.ToString(CultureInfo.InvariantCulture),
            before: changed.ToDictionary(k => k, k => before[k]), after: changed.ToDictionary(k => k, k => after[k]), ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return SettingsOf(project);
    }

    /// <summary>
    /// After the overlap or the agreement rule changed: items open or close for the queue (AssignedCount against the
    /// new overlap), items whose completeness changed (or, for a new rule, every complete item) are decided afresh,
    /// and the progress counters are recounted.
    /// </summary>
    private static async Task RecountProgressAsync(LabelBenchDbContext db, Project project, int oldOverlap, string oldRule, LabelSchema schema, CancellationToken ct)
    {
        var overlap = project.Overlap;
        var rule = ItemFinality.RuleOf(project.AgreementRule);
        if (overlap != oldOverlap)
        {
            await db.Items.Where(i => i.ProjectId == project.Id && !i.Pending && i.Open != (i.AssignedCount < overlap))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Open, i => i.AssignedCount < overlap), ct);
            await ItemFinality.RefreshRangeAsync(db, project.Id, overlap, rule, schema, Math.Min(oldOverlap, overlap), Math.Max(oldOverlap, overlap), ct);
        }

        if (project.AgreementRule != oldRule)
        {
            await ItemFinality.RefreshRangeAsync(db, project.Id, overlap, rule, schema, overlap, int.MaxValue, ct);
        }

        await ItemFinality.RecountAsync(db, project.Id, overlap, ct);
    }

    private static List<ValidationError> ValidateSettings(ProjectSettingsUpdate u, LabelSchema schema)
    {
        var problems = new List<ValidationError>();
        if (u.Name is not null && string.IsNullOrWhiteSpace(u.Name))
        {
            problems.Add(new("name", "a project needs a name"));
        }
        else if (u.Name is { Length: > 200 })
        {
            problems.Add(new("name", "a project name has at most 200 characters"));
        }

        if (u.Overlap is < 1 or > MaxOverlap)
        {
            problems.Add(new("overlap", $"overlap (distinct annotators per item) must be between 1 and {MaxOverlap}"));
        }

        if (u.QueueOrder is not null && !QueueOrders.Contains(u.QueueOrder))
        {
            problems.Add(new("queueOrder", $"queue order must be one of {string.Join(", ", QueueOrders)}, not \"{u.QueueOrder}\""));
        }

        if (u.LeaseMinutes is < 1 or > MaxLeaseMinutes)
        {
            problems.Add(new("leaseMinutes", $"a lease lasts between 1 and {MaxLeaseMinutes} minutes"));
        }

        if (u.AgreementRule is not null && !AgreementRules.Contains(u.AgreementRule))
        {
            problems.Add(new("agreementRule", $"the agreement rule is majority or unanimous, not \"{u.AgreementRule}\""));
        }

        if (u.Guidelines is { Length: > GuidelinesRenderer.MaxLength })
        {
            problems.Add(new("guidelines", $"guidelines have at most {GuidelinesRenderer.MaxLength} characters"));
        }

        if (u.HiddenDataKeys is { } hidden)
        {
            if (hidden.Count > MaxHiddenDataKeys)
            {
                problems.Add(new("hiddenDataKeys", $"at most {MaxHiddenDataKeys} keys can be hidden"));
            }

            foreach (var key in hidden)
            {
                if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
                {
                    problems.Add(new("hiddenDataKeys", "a hidden key is the name of an item data key (1 to 200 characters)"));
                }
                else if (schema.Fields.FirstOrDefault(f => f.Source == key || f.Responses.Contains(key)) is { } reader)
                {
                    problems.Add(new("hiddenDataKeys", $"\"{key}\" cannot be hidden from annotators: the field \"{reader.Name}\" shows it to them"));
                }
            }
        }

        return problems;
    }

    private static void Apply(Project p, ProjectSettingsUpdate u)
    {
        p.Name = u.Name?.Trim() ?? p.Name;
        p.Description = u.Description is null ? p.Description : EmptyToNull(u.Description);
        p.Overlap = u.Overlap ?? p.Overlap;
        p.QueueOrder = u.QueueOrder ?? p.QueueOrder;
        p.Blind = u.Blind ?? p.Blind;
        p.ShowPredictions = u.ShowPredictions ?? p.ShowPredictions;
        p.AllowSelfReview = u.AllowSelfReview ?? p.AllowSelfReview;
        p.LeaseMinutes = u.LeaseMinutes ?? p.LeaseMinutes;
        p.AgreementRule = u.AgreementRule ?? p.AgreementRule;
        p.Guidelines = u.Guidelines is null ? p.Guidelines : EmptyToNull(u.Guidelines);
        if (u.HiddenDataKeys is not null)
        {
            p.HiddenDataKeys = u.HiddenDataKeys.Select(k => k.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }

        p.MaskPii = u.MaskPii ?? p.MaskPii;
        p.AnnotatorsPseudonymised = u.AnnotatorsPseudonymised ?? p.AnnotatorsPseudonymised;
    }

    private static string? EmptyToNull(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    internal static ProjectSettings SettingsOf(Project p) => new(
        p.Name, p.Description, p.Overlap, p.QueueOrder, p.Blind, p.ShowPredictions, p.AllowSelfReview, p.LeaseMinutes, p.AgreementRule,
        p.Guidelines, p.HiddenDataKeys.ToList(), p.MaskPii, p.AnnotatorsPseudonymised, p.ArchivedAt);

    /// <summary>The settings as named values for the audit trail (camelCase, as the REST API names them).</summary>
    private static Dictionary<string, object?> Describe(ProjectSettings s) => new(StringComparer.Ordinal)
    {
        ["name"] = s.Name,
        ["description"] = s.Description,
        ["overlap"] = s.Overlap,
        ["queueOrder"] = s.QueueOrder,
        ["blind"] = s.Blind,
        ["showPredictions"] = s.ShowPredictions,
        ["allowSelfReview"] = s.AllowSelfReview,
        ["leaseMinutes"] = s.LeaseMinutes,
        ["agreementRule"] = s.AgreementRule,
        ["guidelines"] = s.Guidelines,
        ["hiddenDataKeys"] = s.HiddenDataKeys,
        ["maskPii"] = s.MaskPii,
        ["annotatorsPseudonymised"] = s.AnnotatorsPseudonymised,
    };
}
