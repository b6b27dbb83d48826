namespace LabelBench.Core.Agreement;

/// <summary>
/// Dawid–Skene (1979) label aggregation: EM over one confusion matrix per annotator and class priors, started from the
/// vote shares (soft majority vote), with additive smoothing. Weighs annotators by their estimated reliability, so a
/// few careful annotators can outvote many careless ones. Deterministic; ties go to the first label in label order.
/// </summary>
public static class DawidSkene
{
    public static DawidSkeneResult Aggregate(JudgementSet set, DawidSkeneOptions? options = null)
    {
        options ??= DawidSkeneOptions.Default;
        if (options.MaxIterations < 1 || !(options.Tolerance > 0) || !(options.Smoothing >= 0))
        {
            throw new AgreementException(
                "Dawid–Skene needs at least one iteration, a positive tolerance and a non-negative smoothing");
        }

        if (set.JudgementCount == 0)
        {
            throw AgreementException.NoJudgements("Dawid–Skene");
        }

        var k = set.LabelCount;
        var a = set.AnnotatorCount;
        var judged = Enumerable.Range(0, set.ItemCount).Where(u => set.JudgementsOn(u) > 0).ToArray();
        var posterior = new double[judged.Length * k];
        for (var i = 0; i < judged.Length; i++)
        {
            var labels = set.LabelsOf(judged[i]);
            foreach (var label in labels)
            {
                posterior[(i * k) + label] += 1.0 / labels.Length;
            }
        }

        var confusion = new double[a * k * k];
        var logConfusion = new double[a * k * k];
        var priors = new double[k];
        var logPriors = new double[k];
        var scratch = new double[k];
        var iterations = 0;
        var converged = false;
        while (iterations < options.MaxIterations && !converged)
        {
            iterations++;
            EstimateParameters(set, judged, posterior, options.Smoothing, confusion, priors);
            for (var c = 0; c < confusion.Length; c++)
            {
                logConfusion[c] = Math.Log(confusion[c]);
            }

            for (var c = 0; c < k; c++)
            {
                logPriors[c] = Math.Log(priors[c]);
            }

            var largestChange = EstimatePosteriors(set, judged, logConfusion, logPriors, posterior, scratch);
            converged = largestChange < options.Tolerance;
        }

        var items = new AggregatedLabel[judged.Length];
        for (var i = 0; i < judged.Length; i++)
        {
            var best = 0;
            for (var c = 1; c < k; c++)
            {
                if (posterior[(i * k) + c] > posterior[(i * k) + best])
                {
                    best = c;
                }
            }

            items[i] = new AggregatedLabel(set.Items[judged[i]], set.Labels[best], posterior[(i * k) + best], set.JudgementsOn(judged[i]));
        }

        var annotators = new List<AnnotatorReliability>();
        for (var annotator = 0; annotator < a; annotator++)
        {
            if (set.JudgementsBy(annotator) == 0)
            {
                continue;
            }

            var rows = new double[k][];
            double reliability = 0;
            for (var truth = 0; truth < k; truth++)
            {
                rows[truth] = confusion.AsSpan(((annotator * k) + truth) * k, k).ToArray();
                reliability += priors[truth] * rows[truth][truth];
            }

            annotators.Add(new AnnotatorReliability(set.Annotators[annotator], set.JudgementsBy(annotator), reliability, rows));
        }

        return new DawidSkeneResult(items, annotators, priors, iterations, converged);
    }

    /// <summary>M-step: class priors and each annotator's row-normalised confusion matrix from the current posteriors.</summary>
    private static void EstimateParameters(
        JudgementSet set, int[] judged, double[] posterior, double smoothing, double[] confusion, double[] priors)
    {
        var k = priors.Length;
        Array.Fill(confusion, smoothing);
        Array.Fill(priors, smoothing);
        for (var i = 0; i < judged.Length; i++)
        {
            var row = posterior.AsSpan(i * k, k);
            for (var c = 0; c < k; c++)
            {
                priors[c] += row[c];
            }

            var annotators = set.AnnotatorsOf(judged[i]);
            var labels = set.LabelsOf(judged[i]);
            for (var j = 0; j < annotators.Length; j++)
            {
                var offset = annotators[j] * k * k;
                for (var truth = 0; truth < k; truth++)
                {
                    confusion[offset + (truth * k) + labels[j]] += row[truth];
                }
            }
        }

        Normalise(priors);
        for (var row = 0; row < confusion.Length; row += k)
        {
            Normalise(confusion.AsSpan(row, k));
        }
    }

    /// <summary>E-step: posteriors ∝ prior × Π P(given label | truth), in log space; returns the largest change of any posterior.</summary>
    private static double EstimatePosteriors(
        JudgementSet set, int[] judged, double[] logConfusion, double[] logPriors, double[] posterior, double[] scratch)
    {
        var k = logPriors.Length;
        double largestChange = 0;
        for (var i = 0; i < judged.Length; i++)
        {
            logPriors.CopyTo(scratch, 0);
            var annotators = set.AnnotatorsOf(judged[i]);
            var labels = set.LabelsOf(judged[i]);
            for (var j = 0; j < annotators.Length; j++)
            {
                var offset = (annotators[j] * k * k) + labels[j];
                for (var truth = 0; truth < k; truth++)
                {
                    scratch[truth] += logConfusion[offset + (truth * k)];
                }
            }

            var largest = scratch.Max();
            if (double.IsNegativeInfinity(largest))
            {
                // Without smoothing every class can be impossible for an item; keep its previous posterior.
                continue;
            }

            double total = 0;
            for (var c = 0; c < k; c++)
            {
                scratch[c] = Math.Exp(scratch[c] - largest);
                total += scratch[c];
            }

            for (var c = 0; c < k; c++)
            {
                var updated = scratch[c] / total;
                largestChange = Math.Max(largestChange, Math.Abs(updated - posterior[(i * k) + c]));
                posterior[(i * k) + c] = updated;
            }
        }

        return largestChange;
    }

    /// <summary>Scales to sum 1; a row with no mass (possible only without smoothing) becomes uniform.</summary>
    private static void Normalise(Span<double> values)
    {
        double total = 0;
        foreach (var value in values)
        {
            total += value;
        }

        for (var c = 0; c < values.Length; c++)
        {
            values[c] = total > 0 ? values[c] / total : 1.0 / values.Length;
        }
    }
}
