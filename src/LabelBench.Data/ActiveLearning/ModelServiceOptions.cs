using System.ComponentModel.DataAnnotations;

namespace LabelBench.Data.ActiveLearning;

/// <summary>Settings of outbound calls to external model services, bound from <c>LabelBench:ModelServices</c>.</summary>
public sealed class ModelServiceOptions
{
    public const string SectionName = "LabelBench:ModelServices";

    /// <summary>
    /// Host names (or IP literals) an admin trusts although they resolve to addresses LabelBench otherwise refuses
    /// (loopback, private, link-local, ...), e.g. a model server on the same machine or the internal network.
    /// Compared case-insensitively with the URL's host, exactly (no wildcards).
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Items per <c>/predict</c> request (and labels per <c>/train</c> request).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Time one attempt of a request may take before it is abandoned (and retried).</summary>
    [Range(1, 600)]
    public int AttemptTimeoutSeconds { get; set; } = 30;

    /// <summary>Largest answer accepted from a model service.</summary>
    [Range(1, 1024)]
    public int MaxResponseMegabytes { get; set; } = 32;

    public bool IsAllowedHost(string host)
    {
        var bare = host.Trim('[', ']');
        return AllowedHosts.Any(h => string.Equals(h.Trim().Trim('[', ']'), bare, StringComparison.OrdinalIgnoreCase));
    }
}
