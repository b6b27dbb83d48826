namespace LabelBench.Core.Agreement;

/// <summary>Input that a metric cannot be computed on, with a message that tells the user what to change.</summary>
public class AgreementException : Exception
{
    public AgreementException()
    {
    }

    public AgreementException(string message)
        : base(message)
    {
    }

    public AgreementException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal static AgreementException NoJudgements(string metric) =>
        new($"{metric}: there are no judgements to compare (the input has no rows, or every label is empty)");
}
