namespace LabelBench.Core.Agreement;

/// <summary>How the distance between two labels is measured in Krippendorff's alpha.</summary>
public enum MeasurementLevel
{
    /// <summary>Labels are names: two labels either match or they do not.</summary>
    Nominal,

    /// <summary>Labels are ordered; distance counts how many judgements lie between them.</summary>
    Ordinal,

    /// <summary>Labels are numbers; distance is the squared difference.</summary>
    Interval,

    /// <summary>Labels are non-negative numbers with a true zero; distance is the squared relative difference.</summary>
    Ratio,
}
