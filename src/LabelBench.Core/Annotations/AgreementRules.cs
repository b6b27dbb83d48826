namespace LabelBench.Core.Annotations;

/// <summary>Names of <see cref="AgreementRule"/> values as a project stores them.</summary>
public static class AgreementRules
{
    /// <summary>"unanimous" or, for anything else, majority (the default).</summary>
    public static AgreementRule Parse(string? name) =>
        string.Equals(name, "unanimous", StringComparison.OrdinalIgnoreCase) ? AgreementRule.Unanimous : AgreementRule.Majority;
}
