using LabelBench.Core.Schemas;

namespace LabelBench.Core.Export;

/// <summary>What an exporter writes: which labels, and for tabular formats the schema and data columns.</summary>
public sealed record ExportOptions
{
    public ExportSource Source { get; init; } = ExportSource.All;

    /// <summary>The project's schema; tabular exporters (CSV) need it for their label columns.</summary>
    public LabelSchema? Schema { get; init; }

    /// <summary>Data keys to write as columns in tabular formats; null means the keys the schema reads.</summary>
    public IReadOnlyList<string>? DataKeys { get; init; }

    internal bool Includes(ExportItem item) => Source == ExportSource.All || item.FinalResult is not null;
}
