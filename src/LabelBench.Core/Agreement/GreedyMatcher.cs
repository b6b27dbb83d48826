namespace LabelBench.Core.Agreement;

/// <summary>One-to-one matching that takes candidate pairs by descending score; ties go to the earlier objects, so results are reproducible.</summary>
internal static class GreedyMatcher
{
    /// <summary>Matches objects 0..countFirst−1 with 0..countSecond−1; <paramref name="score"/> returns the IoU of a pair that may match, or 0 or less when it may not.</summary>
    public static MatchAgreement Match(int countFirst, int countSecond, Func<int, int, double> score)
    {
        var candidates = new List<(double Score, int First, int Second)>();
        for (var i = 0; i < countFirst; i++)
        {
            for (var j = 0; j < countSecond; j++)
            {
                var s = score(i, j);
                if (s > 0)
                {
                    candidates.Add((s, i, j));
                }
            }
        }

        candidates.Sort((x, y) =>
        {
            var byScore = y.Score.CompareTo(x.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            return x.First != y.First ? x.First.CompareTo(y.First) : x.Second.CompareTo(y.Second);
        });

        var firstUsed = new bool[countFirst];
        var secondUsed = new bool[countSecond];
        var matched = 0;
        double iouSum = 0;
        foreach (var (s, i, j) in candidates)
        {
            if (!firstUsed[i] && !secondUsed[j])
            {
                firstUsed[i] = secondUsed[j] = true;
                matched++;
                iouSum += s;
            }
        }

        return new MatchAgreement(matched, countFirst, countSecond, iouSum);
    }
}
