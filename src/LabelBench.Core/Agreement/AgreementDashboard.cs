namespace LabelBench.Core.Agreement;

/// <summary>A headline metric with its bootstrap interval and the number of items behind it.</summary>
public sealed record HeadlineMetric(string Metric, double? Value, double? Lower, double? Upper, int Items, string? Note);

/// <summary>Agreement of the judgements made on one day (by the day their item was completed).</summary>
public sealed record AgreementOverTime(DateOnly Day, int Items, double? PercentAgreement);

/// <summary>An item that divides annotators: its share of agreeing pairs and the labels given.</summary>
public sealed record DividingItem(string Item, double PercentAgreement, IReadOnlyDictionary<string, int> Labels);

/// <summary>
/// Pooled confusion between annotators: <c>Counts[i][j]</c> counts ordered pairs of judgements on the same item where
/// one annotator said label i and another label j (symmetric).
/// </summary>
public sealed record LabelConfusion(IReadOnlyList<string> Labels, int[][] Counts);

/// <summary>Everything the agreement dashboard shows for one label field.</summary>
public sealed record AgreementDashboard(
    int Items,
    int Annotators,
    int Judgements,
    IReadOnlyList<HeadlineMetric> Headline,
    IReadOnlyList<AnnotatorPairAgreement> Pairs,
    IReadOnlyList<LabelAgreement> PerLabel,
    LabelConfusion Confusion,
    IReadOnlyList<AgreementOverTime> OverTime,
    IReadOnlyList<AnnotatorReliability> Reliability,
    GoldAccuracyResult? Gold,
    IReadOnlyList<DividingItem> MostDividing,
    AnnotatorBiasReport? Bias);

/// <summary>Options of <see cref="AgreementDashboardBuilder"/>.</summary>
public sealed record AgreementDashboardOptions
{
    public int BootstrapResamples { get; init; } = 200;
    public int Seed { get; init; } = 20261124;
    public int MostDividingCount { get; init; } = 20;
    public MeasurementLevel AlphaLevel { get; init; } = MeasurementLevel.Nominal;

    /// <summary>When each item reached its last judgement, for agreement over time; items without one are left out there.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? CompletedAt { get; init; }

    /// <summary>Known answers, item → label, for gold accuracy.</summary>
    public IReadOnlyDictionary<string, string>? Gold { get; init; }
}

/// <summary>Computes the dashboard's figures from one field's judgements (pure; the web app caches the result).</summary>
public static class AgreementDashboardBuilder
{
    public static AgreementDashboard Build(JudgementSet set, AgreementDashboardOptions? options = null)
    {
        options ??= new AgreementDashboardOptions();
        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements("the agreement dashboard");
        }

        var random = new Random(options.Seed);
        var headline = new List<HeadlineMetric>
        {
            Headline(set, "percent-agreement", s => PercentAgreement.Compute(s).Value, ItemWeightedMetrics.PercentAgreement, random, options),
            Headline(
                set,
                $"krippendorff-alpha ({options.AlphaLevel.ToString().ToLowerInvariant()})",
                s => KrippendorffAlpha.Compute(s, options.AlphaLevel).Value,
                (s, w) => ItemWeightedMetrics.KrippendorffAlpha(s, w, options.AlphaLevel),
                random,
                options),
        };
        if (set.AnnotatorCount == 2)
        {
            headline.Add(Headline(set, "cohen-kappa", s => CohenKappa.Compute(s).Value, (s, w) => ItemWeightedMetrics.CohenKappa(s, w), random, options));
        }

        if (EqualJudgementsPerItem(set))
        {
            headline.Add(Headline(set, "fleiss-kappa", s => FleissKappa.Compute(s).Value, ItemWeightedMetrics.FleissKappa, random, options));
        }

        var pairs = set.AnnotatorCount >= 2 ? PairwiseAgreement.Compute(set) : [];
        var perLabel = PerLabelAgreement.Compute(set);
        var reliability = TryOrEmpty(() => DawidSkene.Aggregate(set).Annotators);
        var gold = options.Gold is { Count: > 0 } g ? GoldAccuracy.Compute(set, g) : null;
        AnnotatorBiasReport? bias = null;
        try
        {
            bias = set.AnnotatorCount >= 3 ? AnnotatorBias.Analyse(set) : null;
        }
        catch (AgreementException)
        {
            // Too little data to compare annotators with a consensus; the dashboard shows the rest.
        }

        return new AgreementDashboard(
            set.ItemCount, set.AnnotatorCount, set.JudgementCount, headline, pairs, perLabel, Confusion(set),
            OverTime(set, options.CompletedAt), reliability, gold, MostDividing(set, options.MostDividingCount), bias);
    }

    /// <param name="weighted">The metric by item weights, which makes the bootstrap a pass over the items per resample; null resamples sets.</param>
    private static HeadlineMetric Headline(
        JudgementSet set, string name, Func<JudgementSet, double> metric, ItemWeightedMetric? weighted, Random random, AgreementDashboardOptions options)
    {
        double value;
        try
        {
            value = metric(set);
        }
        catch (AgreementException ex)
        {
            return new HeadlineMetric(name, null, null, null, set.ItemCount, ex.Message);
        }

        if (double.IsNaN(value))
        {
            return new HeadlineMetric(name, null, null, null, set.ItemCount, "undefined for these data (e.g. a single label used throughout)");
        }

        var interval = weighted is null
            ? BootstrapInterval.Compute(set, metric, random, options.BootstrapResamples)
            : BootstrapInterval.Compute(set, metric, weighted, random, options.BootstrapResamples);
        return new HeadlineMetric(name, value, Finite(interval.Lower), Finite(interval.Upper), set.ItemCount, null);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static bool EqualJudgementsPerItem(JudgementSet set)
    {
        var first = -1;
        for (var i = 0; i < set.ItemCount; i++)
        {
            var n = set.JudgementsOn(i);
            if (n == 0)
            {
                continue;
            }

            if (first < 0)
            {
                first = n;
            }
            else if (n != first)
            {
                return false;
            }
        }

        return first >= 2;
    }

    private static IReadOnlyList<T> TryOrEmpty<T>(Func<IReadOnlyList<T>> compute)
    {
        try
        {
            return compute();
        }
        catch (AgreementException)
        {
            return [];
        }
    }

    private static LabelConfusion Confusion(JudgementSet set)
    {
        var l = set.LabelCount;
        var counts = new int[l][];
        for (var i = 0; i < l; i++)
        {
            counts[i] = new int[l];
        }

        for (var item = 0; item < set.ItemCount; item++)
        {
            var labels = set.LabelsOf(item);
            for (var a = 0; a < labels.Length; a++)
            {
                for (var b = 0; b < labels.Length; b++)
                {
                    if (a != b && labels[a] >= 0 && labels[b] >= 0)
                    {
                        counts[labels[a]][labels[b]]++;
                    }
                }
            }
        }

        return new LabelConfusion(set.Labels, counts);
    }

    private static double? ItemAgreement(ReadOnlySpan<int> labels)
    {
        int pairs = 0, agree = 0;
        for (var a = 0; a < labels.Length; a++)
        {
            for (var b = a + 1; b < labels.Length; b++)
            {
                if (labels[a] < 0 || labels[b] < 0)
                {
                    continue;
                }

                pairs++;
                if (labels[a] == labels[b])
                {
                    agree++;
                }
            }
        }

        return pairs == 0 ? null : (double)agree / pairs;
    }

    private static List<AgreementOverTime> OverTime(JudgementSet set, IReadOnlyDictionary<string, DateTimeOffset>? completedAt)
    {
        if (completedAt is null)
        {
            return [];
        }

        var byDay = new SortedDictionary<DateOnly, (int Items, double Sum, int Scored)>();
        for (var item = 0; item < set.ItemCount; item++)
        {
            if (!completedAt.TryGetValue(set.Items[item], out var at))
            {
                continue;
            }

            var day = DateOnly.FromDateTime(at.UtcDateTime);
            var score = ItemAgreement(set.LabelsOf(item));
            var (items, sum, scored) = byDay.GetValueOrDefault(day);
            byDay[day] = (items + 1, sum + (score ?? 0), scored + (score is null ? 0 : 1));
        }

        return byDay.Select(kv => new AgreementOverTime(kv.Key, kv.Value.Items, kv.Value.Scored == 0 ? null : kv.Value.Sum / kv.Value.Scored)).ToList();
    }

    private static List<DividingItem> MostDividing(JudgementSet set, int count)
    {
        var scored = new List<(int Item, double Score)>();
        for (var item = 0; item < set.ItemCount; item++)
        {
            if (ItemAgreement(set.LabelsOf(item)) is { } score && score < 1)
            {
                scored.Add((item, score));
            }
        }

        return scored.OrderBy(s => s.Score).ThenBy(s => set.Items[s.Item], StringComparer.Ordinal).Take(count)
            .Select(s =>
            {
                var labels = new SortedDictionary<string, int>(StringComparer.Ordinal);
                foreach (var label in set.LabelsOf(s.Item))
                {
                    if (label >= 0)
                    {
                        labels[set.Labels[label]] = labels.GetValueOrDefault(set.Labels[label]) + 1;
                    }
                }

                return new DividingItem(set.Items[s.Item], s.Score, labels);
            }).ToList();
    }
}
