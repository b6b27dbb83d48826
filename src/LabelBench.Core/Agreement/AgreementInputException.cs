namespace LabelBench.Core.Agreement;

/// <summary>A judgements file that cannot be read, naming the file, the 1-based line (the header is line 1) and the field at fault.</summary>
public sealed class AgreementInputException : AgreementException
{
    public AgreementInputException()
    {
    }

    public AgreementInputException(string message)
        : base(message)
    {
    }

    public AgreementInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AgreementInputException(string fileName, long line, string? field, string problem, Exception? innerException = null)
        : base(Describe(fileName, line, field, problem), innerException)
    {
        FileName = fileName;
        Line = line;
        Field = field;
    }

    public string? FileName { get; }

    /// <summary>1-based line in the file, 0 when the problem concerns the whole file.</summary>
    public long Line { get; }

    public string? Field { get; }

    private static string Describe(string fileName, long line, string? field, string problem)
    {
        var where = line > 0 ? $"{fileName} line {line}" : fileName;
        return field is null ? $"{where}: {problem}" : $"{where}, field '{field}': {problem}";
    }
}
