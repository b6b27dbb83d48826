using System.Text.Json.Nodes;

namespace LabelBench.Core.Export;

/// <summary>One annotator's result for an exported item.</summary>
/// <param name="Annotator">A pseudonym (<see cref="Pseudonym.For"/>) or, where the project allows, the annotator's email.</param>
public sealed record ExportAnnotation(
    long Id,
    string Annotator,
    int SchemaVersion,
    string Status,
    JsonObject Result,
    long TimeSpentMs,
    DateTimeOffset SubmittedAt);
