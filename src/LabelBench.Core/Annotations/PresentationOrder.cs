using System.Security.Cryptography;
using System.Text;

namespace LabelBench.Core.Annotations;

/// <summary>
/// The order in which an annotator sees an item's responses (pairwise and ranking): shuffled per annotator and item
/// to remove position bias, yet the same on every visit (a hash of user id and item id seeds it), so a refresh never
/// swaps the sides under the annotator's eyes. Results are always stored in the schema's order.
/// </summary>
public static class PresentationOrder
{
    /// <summary>A permutation of 0..count-1: position i on screen shows response <c>result[i]</c>.</summary>
    public static int[] For(string userId, long itemId, int count)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = Enumerable.Range(0, count).ToArray();
        if (count < 2)
        {
            return order;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{itemId.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        // Fisher–Yates driven by the hash bytes (two bytes per step keep the modulo bias negligible for small counts).
        for (var i = count - 1; i > 0; i--)
        {
            var b = (2 * (count - 1 - i)) % (hash.Length - 1);
            var r = ((hash[b] << 8) | hash[b + 1]) % (i + 1);
            (order[i], order[r]) = (order[r], order[i]);
        }

        return order;
    }

    /// <summary>Pairwise: whether the schema's second response (B) is shown on the left.</summary>
    public static bool IsSwapped(string userId, long itemId) => For(userId, itemId, 2)[0] == 1;

    /// <summary>Pairwise: the stored choice ("A", "B" or "tie") for a choice made by screen side ("left", "right" or "tie").</summary>
    public static string StoredChoice(string side, bool swapped) => side switch
    {
        "left" => swapped ? "B" : "A",
        "right" => swapped ? "A" : "B",
        "tie" => "tie",
        _ => throw new ArgumentOutOfRangeException(nameof(side), side, "A side is \"left\", \"right\" or \"tie\"."),
    };

    /// <summary>Pairwise: the screen side ("left", "right" or "tie") on which a stored choice appears.</summary>
    public static string SideOf(string storedChoice, bool swapped) => storedChoice switch
    {
        "A" => swapped ? "right" : "left",
        "B" => swapped ? "left" : "right",
        "tie" => "tie",
        _ => throw new ArgumentOutOfRangeException(nameof(storedChoice), storedChoice, "A pairwise choice is \"A\", \"B\" or \"tie\"."),
    };
}
