using System.Globalization;
using LabelBench.Core.Agreement;

namespace LabelBench.Benchmarks.Agreement;

/// <summary>Reproducible synthetic judgements: items × annotators with a true label and per-annotator noise.</summary>
public static class SyntheticJudgements
{
    public static JudgementSet Nominal(int items, int annotators, int labels, int seed = 42)
    {
        var random = new Random(seed);
        var builder = new JudgementSetBuilder();
        for (var i = 0; i < items; i++)
        {
            var truth = random.Next(labels);
            var item = i.ToString(CultureInfo.InvariantCulture);
            for (var a = 0; a < annotators; a++)
            {
                var label = random.NextDouble() < 0.8 ? truth : random.Next(labels);
                builder.Add(item, "a" + a.ToString(CultureInfo.InvariantCulture), "L" + label.ToString(CultureInfo.InvariantCulture));
            }
        }

        return builder.Build();
    }

    /// <summary>Two coders over <paramref name="units"/> units with numeric values 1..100 and Gaussian noise.</summary>
    public static JudgementSet Interval(int units, int seed = 42)
    {
        var random = new Random(seed);
        var builder = new JudgementSetBuilder();
        for (var i = 0; i < units; i++)
        {
            var truth = 1 + random.Next(100);
            var item = i.ToString(CultureInfo.InvariantCulture);
            for (var a = 0; a < 2; a++)
            {
                var noisy = Math.Clamp(truth + (int)Math.Round(Gaussian(random) * 5), 1, 100);
                builder.Add(item, "c" + a.ToString(CultureInfo.InvariantCulture), noisy.ToString(CultureInfo.InvariantCulture));
            }
        }

        return builder.Build();
    }

    /// <summary>Writes the nominal set as CSV (item,annotator,label), the CLI's input format.</summary>
    public static void WriteCsv(string path, int items, int annotators, int labels, int seed = 42)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path);
        writer.WriteLine("item,annotator,label");
        for (var i = 0; i < items; i++)
        {
            var truth = random.Next(labels);
            for (var a = 0; a < annotators; a++)
            {
                var label = random.NextDouble() < 0.8 ? truth : random.Next(labels);
                writer.Write(i.ToString(CultureInfo.InvariantCulture));
                writer.Write(",a");
                writer.Write(a.ToString(CultureInfo.InvariantCulture));
                writer.Write(",L");
                writer.WriteLine(label.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
