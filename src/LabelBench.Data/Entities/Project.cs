namespace LabelBench.Data.Entities;

/// <summary>A labelling job: one current schema, members, overlap and settings.</summary>
public class Project
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int Overlap { get; set; } = 1;

    /// <summary>Dynamic overlap: while an item's annotators disagree it opens for one more, up to this many; null or ≤ Overlap: off.</summary>
    public int? MaxOverlap { get; set; }

    public string QueueOrder { get; set; } = "sequential";
    public bool Blind { get; set; } = true;
    public bool ShowPredictions { get; set; } = true;
    public bool AllowSelfReview { get; set; }
    public string? Guidelines { get; set; }
    /// <summary>How long an item handed out by <c>next</c> stays reserved for its annotator.</summary>
    public int LeaseMinutes { get; set; } = 30;
    public string AgreementRule { get; set; } = "majority";
    public int CurrentSchemaVersion { get; set; }

    /// <summary>Item data keys shown to leads and reviewers only; annotators never receive them.</summary>
    public List<string> HiddenDataKeys { get; set; } = [];

    /// <summary>E-mail addresses, phone numbers and similar identifiers in item text are masked for annotators.</summary>
    public bool MaskPii { get; set; }

    /// <summary>Exports name annotators by pseudonym (true) or by their e-mail address (false).</summary>
    public bool AnnotatorsPseudonymised { get; set; } = true;
    /// <summary>How Item.Uncertainty is measured from the newest prediction: least-confidence, margin or entropy.</summary>
    public string UncertaintyMeasure { get; set; } = "least-confidence";

    /// <summary>Retrain (or ask the model service again) after this many new final labels; 0 turns it off.</summary>
    public int AutoTrainEvery { get; set; }

    /// <summary>An external model service (<c>{url}/predict</c>, <c>{url}/train</c>); null when the project has none.</summary>
    public string? ModelServiceUrl { get; set; }

    /// <summary>Secret per project that keys annotator pseudonyms in exports.</summary>
    public required string PseudonymSalt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public string? CreatedById { get; set; }

    /// <summary>Counters kept in step with the items so overview pages stay fast at a million items.</summary>
    public long ItemCount { get; set; }
    public long SubmittedCount { get; set; }

    /// <summary>Items whose submitted annotations reached the overlap.</summary>
    public long CompleteCount { get; set; }

    /// <summary>Items with a final label (<see cref="Item.Final"/>).</summary>
    public long FinalCount { get; set; }

    public List<ProjectMember> Members { get; set; } = [];
    public List<SchemaVersion> SchemaVersions { get; set; } = [];
}

public class ProjectMember
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string UserId { get; set; }
    public ProjectRole Role { get; set; }
    public DateTimeOffset AddedAt { get; set; }

    public Project? Project { get; set; }
    public ApplicationUser? User { get; set; }
}

/// <summary>One saved version of a project's label schema; annotations keep the version they were made under.</summary>
public class SchemaVersion
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public int Version { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
}
