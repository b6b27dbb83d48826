using System.Globalization;

namespace LabelBench.Benchmarks.Workspace;

/// <summary>Latency samples in milliseconds and their nearest-rank percentiles.</summary>
internal sealed class LatencySamples
{
    private readonly List<double> samples = [];
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return samples.Count;
            }
        }
    }

    public void Add(double ms)
    {
        lock (gate)
        {
            samples.Add(ms);
        }
    }

    public double Percentile(double p)
    {
        lock (gate)
        {
            if (samples.Count == 0)
            {
                return double.NaN;
            }

            var sorted = samples.Order().ToList();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
        }
    }

    public double Max
    {
        get
        {
            lock (gate)
            {
                return samples.Count == 0 ? double.NaN : samples.Max();
            }
        }
    }

    /// <summary>"n / p50 / p95 / p99 / max" as Markdown table cells.</summary>
    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"{Count} | {Percentile(50):F2} | {Percentile(95):F2} | {Percentile(99):F2} | {Max:F2}");
}
