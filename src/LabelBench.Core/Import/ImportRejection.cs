namespace LabelBench.Core.Import;

/// <summary>Why a row (or, with <see cref="Line"/> 0, a whole file) of an import was refused.</summary>
public sealed record ImportRejection(string Source, int Line, string Error)
{
    /// <summary>The whole file is refused: the caller must discard every record it read from it.</summary>
    public bool IsWholeFile => Line == 0;

    public override string ToString() => Line == 0 ? $"{Source}: {Error}" : $"{Source}, line {Line}: {Error}";
}
