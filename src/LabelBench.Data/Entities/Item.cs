namespace LabelBench.Data.Entities;

/// <summary>One unit of data to label, with its JSON data and optional media.</summary>
public class Item
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public string? ExternalId { get; set; }
    public required string DataJson { get; set; }
    public string? Split { get; set; }

    /// <summary>A random key fixed at import, so the random order is stable and indexable.</summary>
    public long RandomKey { get; set; }

    /// <summary>Uncertainty of the latest prediction (higher first in the uncertainty order); null when none.</summary>
    public double? Uncertainty { get; set; }

    /// <summary>Assignments held (leased or submitted); claimed with a conditional update that never passes the overlap.</summary>
    public int AssignedCount { get; set; }

    public int SubmittedCount { get; set; }

    /// <summary>
    /// The item has a final label: a reviewer's adjudication, or submitted annotations that reached the overlap and agree
    /// under the project's rule. Kept with <see cref="Project.FinalCount"/> by whoever changes either (submit, settings,
    /// schema migrations, adjudication: see <c>ItemFinality</c>).
    /// </summary>
    public bool Final { get; set; }

    /// <summary>Places opened beyond the project's overlap because the annotators disagreed (dynamic overlap); the item's target is Overlap + ExtraOverlap.</summary>
    public int ExtraOverlap { get; set; }

    /// <summary>True while AssignedCount is below the item's target (the project's overlap plus ExtraOverlap); the queue's indexes start with it so full items cost nothing.</summary>
    public bool Open { get; set; } = true;
    public string? MediaHash { get; set; }
    public string? MediaType { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public double? DurationSeconds { get; set; }
    /// <summary>Disagreement of the submitted annotations (0..1), for the review queue; computed when the count changes.</summary>
    public double? ReviewScore { get; set; }

    /// <summary>The submitted count <see cref="ReviewScore"/> was computed at; a different count means it is stale.</summary>
    public int ReviewScoreAt { get; set; }

    /// <summary>An annotator flagged the item for review.</summary>
    public bool Flagged { get; set; }

    public bool IsGold { get; set; }
    public string? GoldResultJson { get; set; }
    /// <summary>The import that brought the item; while <see cref="Pending"/> that import has not committed and nobody sees the item.</summary>
    public long? ImportId { get; set; }

    /// <summary>The line of the imported file the item came from (1-based, counting a CSV header), to name it in later reports.</summary>
    public int? ImportLine { get; set; }

    public bool Pending { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A stored media file, addressed by the SHA-256 of its bytes.</summary>
public class MediaObject
{
    public required string Hash { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public double? DurationSeconds { get; set; }

    /// <summary>For an image: its thumbnail (longest side 256), itself a media object.</summary>
    public string? ThumbnailHash { get; set; }

    /// <summary>For a WAV: its waveform peaks as JSON (see <c>WavPeaks</c>), itself a media object.</summary>
    public string? PeaksHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
