using System.ComponentModel.DataAnnotations;
using LabelBench.Core.Media;

namespace LabelBench.Data;

/// <summary>Settings bound from <c>LabelBench:*</c>, shared by the web app and the CLI.</summary>
public sealed class LabelBenchOptions
{
    public const string SectionName = "LabelBench";

    [Required]
    public string DataDir { get; set; } = "./data";

    public DatabaseOptions Database { get; set; } = new();

    [EmailAddress]
    public string AdminEmail { get; set; } = "admin@labelbench.local";

    public string? AdminPassword { get; set; }

    public bool SeedDemo { get; set; } = true;

    /// <summary>Where demo datasets are read from on the first start; found next to the app or the repository when unset.</summary>
    public string? SamplesDir { get; set; }

    /// <summary>Limits on uploaded media and archives (<c>LabelBench:Media:MaxImagePixels</c>, …).</summary>
    public MediaLimits Media { get; set; } = new();

    public string DataDirFullPath => Path.GetFullPath(DataDir);

    public string MediaDir => Path.Combine(DataDirFullPath, "media");
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "LabelBench:Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    public string? ConnectionString { get; set; }
}
