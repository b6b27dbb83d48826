using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>One annotator's result for an exported item.</summary>
public sealed record ExportAnnotation
{
    private readonly StoredJson result;

    /// <param name="annotator">A pseudonym (<see cref="Pseudonym.For"/>) or, where the project allows, the annotator's email.</param>
    public ExportAnnotation(long id, string annotator, int schemaVersion, string status, JsonObject result, long timeSpentMs, DateTimeOffset submittedAt)
        : this(id, annotator, schemaVersion, status, StoredJson.Of(result), timeSpentMs, submittedAt)
    {
    }

    /// <summary>An annotation whose result is still its stored text: parsed only if something reads it.</summary>
    public ExportAnnotation(long id, string annotator, int schemaVersion, string status, StoredJson result, long timeSpentMs, DateTimeOffset submittedAt)
    {
        Id = id;
        Annotator = annotator;
        SchemaVersion = schemaVersion;
        Status = status;
        this.result = result;
        TimeSpentMs = timeSpentMs;
        SubmittedAt = submittedAt;
    }

    public long Id { get; init; }

    /// <summary>A pseudonym (<see cref="Pseudonym.For"/>) or, where the project allows, the annotator's email.</summary>
    public string Annotator { get; init; }

    public int SchemaVersion { get; init; }

    public string Status { get; init; }

    /// <summary>The annotator's result (read it, never change it).</summary>
    public JsonObject Result => result.Value;

    /// <summary>The result as stored, for writers that can copy its text; annotations with the same stored text may share one.</summary>
    public StoredJson StoredResult => result;

    public long TimeSpentMs { get; init; }

    public DateTimeOffset SubmittedAt { get; init; }
}
