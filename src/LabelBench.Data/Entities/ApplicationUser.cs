using Microsoft.AspNetCore.Identity;

namespace LabelBench.Data.Entities;

/// <summary>A person who signs in: annotator, reviewer, lead or admin.</summary>
public class ApplicationUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
