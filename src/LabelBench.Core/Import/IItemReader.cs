namespace LabelBench.Core.Import;

/// <summary>Streams the items of one import file as records and row-level rejections (contract on <see cref="ImportRow"/>).</summary>
public interface IItemReader
{
    IAsyncEnumerable<ImportRow> ReadAsync(Stream stream, string sourceName, CancellationToken ct = default);
}
