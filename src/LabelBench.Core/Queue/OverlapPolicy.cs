using System.Text.Json.Nodes;
using LabelBench.Core.Annotations;
using LabelBench.Core.Schemas;

namespace LabelBench.Core.Queue;

/// <summary>
/// How many distinct annotators label an item: <see cref="Overlap"/> at first and, with dynamic overlap, one more each
/// time the ones so far disagree (no final result under <see cref="Rule"/>), up to <see cref="MaxOverlap"/>.
/// An item's extra places are counted per item (<c>extra</c>), so its target is <c>Overlap + extra</c>.
/// </summary>
public sealed record OverlapPolicy
{
    /// <summary>The most annotators per item a project may ask for.</summary>
    public const int Limit = 50;

    public OverlapPolicy(int overlap, int? maxOverlap = null, AgreementRule rule = AgreementRule.Majority)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(overlap, 1);
        Overlap = overlap;
        MaxOverlap = Math.Max(overlap, maxOverlap ?? overlap);
        Rule = rule;
    }

    public int Overlap { get; }

    public int MaxOverlap { get; }

    public AgreementRule Rule { get; }

    public bool IsDynamic => MaxOverlap > Overlap;

    /// <summary>Problems with a lead's overlap settings, as {path, message}; empty when they are fine.</summary>
    public static IReadOnlyList<ValidationError> Validate(int overlap, int? maxOverlap)
    {
        var problems = new List<ValidationError>();
        if (overlap is < 1 or > Limit)
        {
            problems.Add(new("overlap", $"overlap (distinct annotators per item) must be between 1 and {Limit}"));
        }
        else if (maxOverlap is { } max && (max < overlap || max > Limit))
        {
            problems.Add(new("maxOverlap", $"maxOverlap (annotators per item when they disagree) must be between the overlap ({overlap}) and {Limit}"));
        }

        return problems;
    }

    /// <summary>How many annotators the item needs now.</summary>
    public int Target(int extra) => Math.Clamp(Overlap + Math.Max(0, extra), Overlap, MaxOverlap);

    /// <summary>Whether an item with <paramref name="assigned"/> places taken can hand one out.</summary>
    public bool IsOpen(int assigned, int extra) => assigned < Target(extra);

    /// <summary>
    /// Decides, once an item's submissions reach its target, whether it is done or opens for one more annotator.
    /// A single-annotator target never extends (one result always agrees with itself).
    /// </summary>
    public OverlapOutcome Decide(LabelSchema schema, IReadOnlyList<JsonObject> submitted, int extra)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(submitted);
        var target = Target(extra);
        if (submitted.Count < target)
        {
            return OverlapOutcome.Waiting;
        }

        if (target >= MaxOverlap)
        {
            return OverlapOutcome.Complete;
        }

        return MajorityAgreement.Decide(schema, submitted, Rule) is null ? OverlapOutcome.OneMore : OverlapOutcome.Complete;
    }
}
