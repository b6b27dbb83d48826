using System.Globalization;
using LabelBench.Core.Agreement;

namespace LabelBench.Tests.Shared;

/// <summary>
/// A published agreement value and the judgements it was computed from, as the CLI takes them: <c>metric</c>,
/// <c>level</c> and <c>weights</c> are the CLI's option values. <see cref="Published"/> is checked to the
/// <see cref="Decimals"/> its source prints; <see cref="Exact"/>, where known, is the exact fraction computed
/// independently (Python's fractions) and is checked to 12 decimals.
/// </summary>
public sealed record AgreementReference(
    string Name,
    string Source,
    string Metric,
    string Level,
    string Weights,
    double Published,
    int Decimals,
    double? Exact,
    IReadOnlyList<Judgement> Judgements)
{
    public override string ToString() => Name;
}

/// <summary>
/// The reference values the metrics library and <c>labelbench agreement</c> must reproduce: Krippendorff (2011), the
/// Wikipedia worked examples for Cohen's and Fleiss' kappa, and the test values of scikit-learn, statsmodels (with
/// SAS and R irr printouts) and NLTK. Shared by the Core unit tests and the CLI tests so both check the same data.
/// </summary>
public static class AgreementReferences
{
    private static readonly string[] ArtsteinPoesioFirst = Repeat(("stat", 46), ("ireq", 44), ("chck", 10));
    private static readonly string[] ArtsteinPoesioSecond = Repeat(("stat", 52), ("ireq", 32), ("chck", 16));

    /// <summary>R irr's <c>anxiety</c> data (20 subjects × 3 raters), as statsmodels' tests print it.</summary>
    private static readonly int[] AnxietyRater2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
    private static readonly int[] AnxietyRater3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];

    /// <summary>Fleiss (1971) psychiatric diagnoses: 30 patients × 6 raters, as statsmodels' and R irr's tests use them.</summary>
    private static readonly int[][] Diagnoses =
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ];

    /// <summary>Wikipedia "Fleiss' kappa": 10 subjects, 14 raters, how many chose each of 5 categories.</summary>
    public static readonly int[][] WikipediaFleissTable =
    [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ];

    /// <summary>Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units, missing data.</summary>
    public static IReadOnlyList<Judgement> Krippendorff2011() => FromMatrix(
        ["1", "2", "3", "3", "2", "1", "4", "1", "2", ".", ".", "."],
        ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", ".", "3"],
        [".", "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", "."],
        ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", "."]);

    public static IReadOnlyList<AgreementReference> All { get; } =
    [
        new("cohen-wikipedia", "Wikipedia, Cohen's kappa: 50 grant proposals, yes/no", "cohen-kappa", "nominal", "none",
            0.4, 15, 0.4, FromContingencyTable(["Yes", "No"], [[20, 5], [10, 15]])),
        new("cohen-sklearn-binary", "scikit-learn test_cohen_kappa, table [[20, 20], [10, 50]]", "cohen-kappa", "nominal", "none",
            0.348, 3, 8.0 / 23, FromVectors(Repeat(("0", 40), ("1", 60)), Repeat(("0", 20), ("1", 20), ("0", 10), ("1", 50)))),
        new("cohen-sklearn-multiclass", "scikit-learn test_cohen_kappa, Artstein & Poesio", "cohen-kappa", "nominal", "none",
            0.8013, 4, 121.0 / 151, FromVectors(Repeat(("0", 46), ("1", 44), ("2", 10)), Repeat(("0", 52), ("1", 32), ("2", 16)))),
        new("cohen-sklearn-unweighted", "scikit-learn test_cohen_kappa, weighting example", "cohen-kappa", "nominal", "none",
            0.9315, 4, 68.0 / 73, SklearnWeighting()),
        new("cohen-sklearn-linear", "scikit-learn test_cohen_kappa, weighting example", "cohen-kappa", "nominal", "linear",
            0.9412, 4, 16.0 / 17, SklearnWeighting()),
        new("cohen-sklearn-quadratic", "scikit-learn test_cohen_kappa, weighting example", "cohen-kappa", "nominal", "quadratic",
            0.9541, 4, 104.0 / 109, SklearnWeighting()),
        new("cohen-statsmodels-sas", "statsmodels test_inter_rater, SAS printout of table10", "cohen-kappa", "nominal", "none",
            0.4842, 4, null, FromContingencyTable(["1", "2", "3"], [[0, 4, 1], [0, 8, 0], [0, 1, 5]])),
        new("cohen-statsmodels-sas-linear", "statsmodels test_inter_rater, SAS printout of table10, weights 0,1,2", "cohen-kappa", "nominal", "linear",
            0.4701, 4, null, FromContingencyTable(["1", "2", "3"], [[0, 4, 1], [0, 8, 0], [0, 1, 5]])),
        new("cohen-irr-anxiety", "R irr kappa2(anxiety[,2:3]), via statsmodels' tests", "cohen-kappa", "nominal", "none",
            -0.006289308, 9, null, AnxietyRaters2And3()),
        new("cohen-irr-anxiety-equal", "R irr kappa2(anxiety[,2:3], \"equal\")", "cohen-kappa", "nominal", "linear",
            0.1459075, 7, null, AnxietyRaters2And3()),
        new("cohen-irr-anxiety-squared", "R irr kappa2(anxiety[,2:3], \"squared\")", "cohen-kappa", "nominal", "quadratic",
            0.2520325, 7, null, AnxietyRaters2And3()),
        new("fleiss-wikipedia", "Wikipedia, Fleiss' kappa worked example (also statsmodels' test)", "fleiss-kappa", "nominal", "none",
            0.210, 3, 4211.0 / 20059, FromCategoryCounts(["1", "2", "3", "4", "5"], WikipediaFleissTable)),
        new("fleiss-irr-diagnoses", "R irr kappam.fleiss(diagnoses), via statsmodels' tests", "fleiss-kappa", "nominal", "none",
            0.4302445, 7, null, DiagnosesJudgements()),
        new("alpha-krippendorff-nominal", "Krippendorff 2011, section C", "krippendorff-alpha", "nominal", "none",
            0.743, 3, 113.0 / 152, Krippendorff2011()),
        new("alpha-krippendorff-ordinal", "Krippendorff 2011, section C", "krippendorff-alpha", "ordinal", "none",
            0.815, 3, 108577.0 / 133160, Krippendorff2011()),
        new("alpha-krippendorff-interval", "Krippendorff 2011, section C", "krippendorff-alpha", "interval", "none",
            0.849, 3, 951.0 / 1120, Krippendorff2011()),
        new("alpha-krippendorff-ratio", "Krippendorff 2011, section C", "krippendorff-alpha", "ratio", "none",
            0.797, 3, 18222619.0 / 22852465, Krippendorff2011()),
        new("alpha-krippendorff-binary", "Krippendorff 2011, section A: two observers, ten units", "krippendorff-alpha", "nominal", "none",
            0.095, 3, 1 - (19.0 * 4 / (14 * 6)), FromMatrix(
                ["0", "1", "0", "0", "0", "0", "0", "0", "1", "0"],
                ["1", "1", "1", "0", "0", "1", "0", "0", "0", "0"])),
        new("alpha-nltk-artstein-poesio", "NLTK metrics.agreement doctest, alpha()", "krippendorff-alpha", "nominal", "none",
            0.8005345806882727, 13, 2396.0 / 2993, FromVectors(ArtsteinPoesioFirst, ArtsteinPoesioSecond)),
        new("alpha-nltk-small", "NLTK test_agreement: (a,a), (b,a), (b,b)", "krippendorff-alpha", "nominal", "none",
            0.4444, 4, 4.0 / 9, FromVectors(["a", "b", "b"], ["a", "a", "b"])),
        new("pi-nltk-artstein-poesio", "NLTK metrics.agreement doctest, pi()", "scotts-pi", "nominal", "none",
            0.79953, 5, 2393.0 / 2993, FromVectors(ArtsteinPoesioFirst, ArtsteinPoesioSecond)),
        new("percent-nltk-artstein-poesio", "NLTK metrics.agreement doctest, avg_Ao()", "percent-agreement", "nominal", "none",
            0.88, 15, 0.88, FromVectors(ArtsteinPoesioFirst, ArtsteinPoesioSecond)),
    ];

    public static AgreementReference Named(string name) =>
        All.SingleOrDefault(r => r.Name == name) ?? throw new ArgumentException($"no reference named {name}", nameof(name));

    /// <summary>A reliability data matrix: one row per annotator, one column per unit; null leaves the cell out, "." is a missing judgement.</summary>
    public static IReadOnlyList<Judgement> FromMatrix(params string?[][] rows)
    {
        var judgements = new List<Judgement>();
        for (var a = 0; a < rows.Length; a++)
        {
            for (var u = 0; u < rows[a].Length; u++)
            {
                if (rows[a][u] is { } label)
                {
                    judgements.Add(new Judgement($"u{u + 1}", $"a{a + 1}", label == "." ? null : label));
                }
            }
        }

        return judgements;
    }

    /// <summary>Two annotators' labels from a contingency table: cells[i][j] items got label i from the first and j from the second.</summary>
    public static IReadOnlyList<Judgement> FromContingencyTable(string[] labels, int[][] cells)
    {
        var judgements = new List<Judgement>();
        var item = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            for (var j = 0; j < cells[i].Length; j++)
            {
                for (var k = 0; k < cells[i][j]; k++)
                {
                    item++;
                    judgements.Add(new Judgement($"i{item}", "first", labels[i]));
                    judgements.Add(new Judgement($"i{item}", "second", labels[j]));
                }
            }
        }

        return judgements;
    }

    /// <summary>Two annotators' parallel label vectors (as scikit-learn takes them).</summary>
    public static IReadOnlyList<Judgement> FromVectors(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        var judgements = new List<Judgement>(first.Count * 2);
        for (var i = 0; i < first.Count; i++)
        {
            judgements.Add(new Judgement($"i{i}", "y1", first[i]));
            judgements.Add(new Judgement($"i{i}", "y2", second[i]));
        }

        return judgements;
    }

    /// <summary>Fleiss' layout: per item, how many annotators chose each category; annotators are numbered per item.</summary>
    public static IReadOnlyList<Judgement> FromCategoryCounts(string[] categories, int[][] countsPerItem)
    {
        var judgements = new List<Judgement>();
        for (var u = 0; u < countsPerItem.Length; u++)
        {
            var rater = 0;
            for (var c = 0; c < categories.Length; c++)
            {
                for (var k = 0; k < countsPerItem[u][c]; k++)
                {
                    judgements.Add(new Judgement($"s{u + 1}", $"r{rater++}", categories[c]));
                }
            }
        }

        return judgements;
    }

    public static string[] Repeat(params (string Label, int Count)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Repeat(r.Label, r.Count))];

    public static JudgementSet ToSet(IEnumerable<Judgement> judgements)
    {
        var builder = new JudgementSetBuilder();
        foreach (var judgement in judgements)
        {
            builder.Add(judgement);
        }

        return builder.Build();
    }

    /// <summary>The judgements as the CLI's CSV input: <c>item,annotator,label</c>, an empty label for a missing judgement.</summary>
    public static string ToCsv(IEnumerable<Judgement> judgements) =>
        "item,annotator,label\n" + string.Concat(judgements.Select(j => $"{j.Item},{j.Annotator},{j.Label}\n"));

    private static IReadOnlyList<Judgement> SklearnWeighting() =>
        FromVectors(Repeat(("0", 46), ("1", 44), ("2", 10)), Repeat(("0", 50), ("1", 40), ("2", 10)));

    private static IReadOnlyList<Judgement> AnxietyRaters2And3() =>
        FromVectors(
            [.. AnxietyRater2.Select(v => v.ToString(CultureInfo.InvariantCulture))],
            [.. AnxietyRater3.Select(v => v.ToString(CultureInfo.InvariantCulture))]);

    private static IReadOnlyList<Judgement> DiagnosesJudgements() =>
        [.. Diagnoses.SelectMany((row, patient) => row.Select((diagnosis, rater) =>
            new Judgement($"p{patient + 1}", $"rater{rater + 1}", diagnosis.ToString(CultureInfo.InvariantCulture))))];
}
