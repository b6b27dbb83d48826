namespace LabelBench.Core.Import;

/// <summary>One result of reading an import file: either a <see cref="Record"/> or a <see cref="Rejection"/>.</summary>
/// <remarks>
/// Readers stream, so a problem that condemns the whole file (bytes that are not UTF-8, a bad CSV header) may be
/// found after records were already yielded. Such a problem is always the <em>last</em> row of the file and is a
/// rejection with <c>Line == 0</c> (<see cref="IsWholeFileRejection"/>): the caller keeps the file's records
/// aside until the enumeration ends and discards all of them if it ends that way, so nothing is half-imported.
/// Row rejections (<c>Line &gt; 0</c>) only drop their own row.
/// </remarks>
public sealed record ImportRow(ImportRecord? Record, ImportRejection? Rejection)
{
    public static ImportRow Accepted(ImportRecord record) => new(record, null);

    public static ImportRow Rejected(string source, int line, string error) => new(null, new ImportRejection(source, line, error));

    public bool IsWholeFileRejection => Rejection is { IsWholeFile: true };
}
