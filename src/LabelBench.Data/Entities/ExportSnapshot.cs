namespace LabelBench.Data.Entities;

/// <summary>
/// A named, immutable export: its files are written once under <c>DataDir/exports/&lt;id&gt;/</c> with a manifest,
/// and every download streams those same bytes. Created <c>running</c>; a background worker writes it.
/// </summary>
public class ExportSnapshot
{
    public const string Running = "running";
    public const string Ready = "ready";
    public const string Failed = "failed";

    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string Name { get; set; }
    public string? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string Format { get; set; }
    public required string Source { get; set; }

    /// <summary>The filters as a JSON object (split, label, from, to, annotator).</summary>
    public string FiltersJson { get; set; } = "{}";

    public int SchemaVersion { get; set; }

    /// <summary><see cref="Running"/>, <see cref="Ready"/> or <see cref="Failed"/>.</summary>
    public string Status { get; set; } = Running;

    public string? Error { get; set; }

    /// <summary>Items read so far, against <see cref="TotalItems"/> (the project's item count when it started), for progress bars.</summary>
    public long ProgressItems { get; set; }

    public long TotalItems { get; set; }

    public long ItemCount { get; set; }
    public long RecordCount { get; set; }
    public long AnnotationCount { get; set; }
    public long SkippedCount { get; set; }

    /// <summary>Agreement figures over the project's first choices field when the snapshot was made; null when there are none.</summary>
    public string? AgreementJson { get; set; }

    /// <summary>The worker instance writing it, and until when its claim holds (a crashed worker's claim runs out and another takes over).</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int Attempts { get; set; }

    public List<ExportSnapshotFile> Files { get; set; } = [];
}

/// <summary>One file of a snapshot, with the size and SHA-256 the manifest lists.</summary>
public class ExportSnapshotFile
{
    public long Id { get; set; }
    public long SnapshotId { get; set; }
    public required string Name { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
}
