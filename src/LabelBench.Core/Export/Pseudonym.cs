using System.Security.Cryptography;
using System.Text;

namespace LabelBench.Core.Export;

/// <summary>Stable, per-project pseudonyms for annotators in exports, like <c>annotator-3f9a2c</c>.</summary>
public static class Pseudonym
{
    /// <summary>
    /// HMAC-SHA256 of the user id keyed by the project's secret salt: stable within a project, unlinkable across
    /// projects, and not reversible by hashing candidate ids without the salt. Six hex digits (24 bits) keep it short;
    /// two annotators of one project collide with odds of about n²/33 million.
    /// </summary>
    public static string For(string userId, string projectSalt)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentException.ThrowIfNullOrEmpty(projectSalt);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(projectSalt), Encoding.UTF8.GetBytes(userId));
        return "annotator-" + Convert.ToHexStringLower(mac, 0, 3);
    }
}
