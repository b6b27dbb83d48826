using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

/// <summary>Builds judgement sets for tests from the layouts papers print them in.</summary>
internal static class Sets
{
    /// <summary>A reliability data matrix: one row per annotator, one column per unit; null or "." is missing.</summary>
    public static JudgementSet FromMatrix(params string?[][] rows)
    {
        var builder = new JudgementSetBuilder();
        for (var a = 0; a < rows.Length; a++)
        {
            for (var u = 0; u < rows[a].Length; u++)
            {
                var label = rows[a][u];
                if (label is not null)
                {
                    builder.Add($"u{u + 1}", $"a{a + 1}", label == "." ? null : label);
                }
            }
        }

        return builder.Build();
    }

    /// <summary>Two annotators' labels from a contingency table: cells[i][j] items got label i from the first and j from the second.</summary>
    public static JudgementSet FromContingencyTable(string[] labels, int[][] cells)
    {
        var builder = new JudgementSetBuilder();
        var item = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            for (var j = 0; j < cells[i].Length; j++)
            {
                for (var k = 0; k < cells[i][j]; k++)
                {
                    item++;
                    builder.Add($"i{item}", "first", labels[i]);
                    builder.Add($"i{item}", "second", labels[j]);
                }
            }
        }

        return builder.Build();
    }

    /// <summary>Two annotators' parallel label vectors (as scikit-learn takes them).</summary>
    public static JudgementSet FromVectors(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        var builder = new JudgementSetBuilder();
        for (var i = 0; i < first.Count; i++)
        {
            builder.Add($"i{i}", "y1", first[i]);
            builder.Add($"i{i}", "y2", second[i]);
        }

        return builder.Build();
    }

    /// <summary>Fleiss' layout: per item, how many annotators chose each category; annotators are numbered per item.</summary>
    public static JudgementSet FromCategoryCounts(string[] categories, int[][] countsPerItem)
    {
        var builder = new JudgementSetBuilder();
        for (var u = 0; u < countsPerItem.Length; u++)
        {
            var rater = 0;
            for (var c = 0; c < categories.Length; c++)
            {
                for (var k = 0; k < countsPerItem[u][c]; k++)
                {
                    builder.Add($"s{u + 1}", $"r{rater++}", categories[c]);
                }
            }
        }

        return builder.Build();
    }

    public static string[] Repeat(params (string Label, int Count)[] runs) =>
        [.. runs.SelectMany(r => Enumerable.Repeat(r.Label, r.Count))];
}
