using LabelBench.Core.Agreement;
using LabelBench.Tests.Shared;

namespace LabelBench.Core.Tests.Agreement;

/// <summary>Builds judgement sets for tests from the layouts papers print them in (see <see cref="AgreementReferences"/>).</summary>
internal static class Sets
{
    /// <summary>A reliability data matrix: one row per annotator, one column per unit; null or "." is missing.</summary>
    public static JudgementSet FromMatrix(params string?[][] rows) => AgreementReferences.ToSet(AgreementReferences.FromMatrix(rows));

    /// <summary>Two annotators' labels from a contingency table: cells[i][j] items got label i from the first and j from the second.</summary>
    public static JudgementSet FromContingencyTable(string[] labels, int[][] cells) =>
        AgreementReferences.ToSet(AgreementReferences.FromContingencyTable(labels, cells));

    /// <summary>Two annotators' parallel label vectors (as scikit-learn takes them).</summary>
    public static JudgementSet FromVectors(IReadOnlyList<string> first, IReadOnlyList<string> second) =>
        AgreementReferences.ToSet(AgreementReferences.FromVectors(first, second));

    /// <summary>Fleiss' layout: per item, how many annotators chose each category; annotators are numbered per item.</summary>
    public static JudgementSet FromCategoryCounts(string[] categories, int[][] countsPerItem) =>
        AgreementReferences.ToSet(AgreementReferences.FromCategoryCounts(categories, countsPerItem));

    public static string[] Repeat(params (string Label, int Count)[] runs) => AgreementReferences.Repeat(runs);
}
