namespace LabelBench.Data.Entities;

/// <summary>One annotator's result for one item: draft, submitted or skipped.</summary>
public class Annotation
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long ItemId { get; set; }
    public required string UserId { get; set; }
    public int SchemaVersion { get; set; }
    public AnnotationStatus Status { get; set; }
    public string ResultJson { get; set; } = "{}";
    public long TimeSpentMs { get; set; }

    /// <summary>The client's key for the submit, so a retried submit is stored once.</summary>
    public string? IdempotencyKey { get; set; }

    public long? PredictionId { get; set; }
    public bool? PredictionAcceptedUnchanged { get; set; }
    /// <summary>The annotator's note for reviewers.</summary>
    public string? Comment { get; set; }

    /// <summary>The annotator asked a reviewer to look at the item.</summary>
    public bool Flagged { get; set; }

    /// <summary>A reviewer's comment when sending the annotation back for another try.</summary>
    public string? ReviewComment { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }

    public Item? Item { get; set; }
}

/// <summary>A claim on one of an item's <c>overlap</c> places: a lease that expires, or a submitted annotation.</summary>
public class Assignment
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long ItemId { get; set; }
    public required string UserId { get; set; }
    public AssignmentState State { get; set; }
    public DateTimeOffset LeasedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A model's result for an item, shown as a pre-annotation where the project allows.</summary>
public class Prediction
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long ItemId { get; set; }
    public required string Model { get; set; }
    public required string ResultJson { get; set; }
    public double? Score { get; set; }
    public string? ScoresJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The predictions file that brought it; while <see cref="Pending"/> that file has not committed and nobody sees it.</summary>
    public long? ImportId { get; set; }

    public bool Pending { get; set; }
}

/// <summary>A reviewer's final decision for an item.</summary>
public class Adjudication
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long ItemId { get; set; }
    public required string ReviewerId { get; set; }
    public AdjudicationKind Kind { get; set; }
    public long? AcceptedAnnotationId { get; set; }
    public required string ResultJson { get; set; }
    public string? Reason { get; set; }
    public int SchemaVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Optimistic concurrency: a second reviewer saving over a changed decision gets a conflict.</summary>
    public Guid Version { get; set; }
}

/// <summary>An append-only record of a change that matters, chained by hash so tampering shows.</summary>
public class AuditEvent
{
    public long Id { get; set; }
    public long Sequence { get; set; }
    public long? ProjectId { get; set; }
    public string? ActorId { get; set; }
    public required string Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>The newest event of the audit chain, kept apart so that deleting the last events also shows.</summary>
public class AuditHead
{
    public int Id { get; set; }
    public long Sequence { get; set; }
    public required string Hash { get; set; }
}

/// <summary>A personal access token for the REST API; only its SHA-256 is stored.</summary>
public class ApiToken
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public ApplicationUser? User { get; set; }
}

/// <summary>One file imported into a project, with its report.</summary>
public class ImportBatch
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public string? UserId { get; set; }
    public required string Source { get; set; }
    public int Imported { get; set; }
    public int Rejected { get; set; }
    public bool Completed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
