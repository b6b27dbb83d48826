namespace LabelBench.Core.Schemas;

/// <summary>What is wrong and where: <paramref name="Path"/> names the field (e.g. <c>fields[2].options[0].hotkey</c> or <c>sentiment</c>).</summary>
public sealed record ValidationError(string Path, string Message, bool IsWarning = false)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The outcome of parsing or validating: a value when there are no errors, and every problem found.</summary>
public sealed record ValidationResult<T>(T? Value, IReadOnlyList<ValidationError> Problems)
{
    public IEnumerable<ValidationError> Errors => Problems.Where(p => !p.IsWarning);
    public IEnumerable<ValidationError> Warnings => Problems.Where(p => p.IsWarning);
    public bool IsValid => Value is not null && !Errors.Any();

    /// <summary>All errors on one line each, for messages to users.</summary>
    public string Describe() => string.Join(Environment.NewLine, Errors.Select(e => e.ToString()));
}
