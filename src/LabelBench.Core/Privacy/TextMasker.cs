using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LabelBench.Core.Text;

namespace LabelBench.Core.Privacy;

/// <summary>
/// Masks personal identifiers in text shown to annotators: e-mail addresses → <c>[email]</c>, IBANs → <c>[iban]</c>,
/// payment card numbers → <c>[card]</c>, IPv4 addresses → <c>[ip]</c>, phone numbers → <c>[phone]</c>.
/// </summary>
/// <remarks>
/// IBANs and card numbers are masked only when their check digits hold (ISO 7064 mod 97, Luhn), so order numbers and
/// amounts stay readable; a phone number needs 8–15 digits and the shape of one (a leading <c>+</c>, <c>00</c> or
/// <c>0</c>, or separated groups), so dates, years and decimals stay readable too.
/// </remarks>
public static partial class TextMasker
{
    /// <summary>Fills the rest of a length-keeping mask.</summary>
    public const char Fill = '•';

    public static string Mask(string text) => MaskCore(text, keepLength: false);

    /// <summary>
    /// Masks like <see cref="Mask"/> but keeps every identifier's length in code points (the token, then
    /// <see cref="Fill"/>), so span offsets an annotator selects in the masked text fit the original.
    /// </summary>
    public static string MaskKeepingLength(string text) => MaskCore(text, keepLength: true);

    /// <summary>A copy of item data with every string masked; strings under <paramref name="keepLengthKeys"/> (top-level keys) keep their length.</summary>
    public static JsonObject MaskData(JsonObject data, IReadOnlySet<string>? keepLengthKeys = null)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in data)
        {
            copy[key] = MaskNode(value, keepLengthKeys?.Contains(key) == true);
        }

        return copy;
    }

    private static JsonNode? MaskNode(JsonNode? node, bool keepLength) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(MaskCore(s, keepLength)),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, MaskNode(p.Value, keepLength)))),
        JsonArray a => new JsonArray(a.Select(x => MaskNode(x, keepLength)).ToArray()),
        _ => node.DeepClone(),
    };

    private static string MaskCore(string text, bool keepLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = Email().Replace(text, m => Token("[email]", m.Value, keepLength));
        text = Iban().Replace(text, m => MaskIban(m, keepLength));
        text = Card().Replace(text, m => IsCard(m.Value) ? Token("[card]", m.Value, keepLength) : m.Value);
        text = Ipv4().Replace(text, m => IsIpv4(m.Value) ? Token("[ip]", m.Value, keepLength) : m.Value);
        text = Phone().Replace(text, m => IsPhone(m.Value) ? Token("[phone]", m.Value, keepLength) : m.Value);
        return text;
    }

    private static string Token(string token, string original, bool keepLength)
    {
        if (!keepLength)
        {
            return token;
        }

        var length = CodePoints.Length(original);
        return length >= token.Length ? token + new string(Fill, length - token.Length) : new string(Fill, length);
    }

    private static string MaskIban(Match m, bool keepLength)
    {
        if (IsIban(m.Value))
        {
            return Token("[iban]", m.Value, keepLength);
        }

        // "DE89 3704 0044 0532 0130 00 AB": the last short group may be the next word, not part of the IBAN.
        var lastSpace = m.Value.LastIndexOf(' ');
        if (lastSpace > 0 && IsIban(m.Value[..lastSpace]))
        {
            return Token("[iban]", m.Value[..lastSpace], keepLength) + m.Value[lastSpace..];
        }

        return m.Value;
    }

    internal static bool IsIban(string candidate)
    {
        var iban = candidate.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (iban.Length is < 15 or > 34)
        {
            return false;
        }

        // ISO 7064 mod 97-10: move the first four characters to the end, letters become 10..35, the number mod 97 is 1.
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            var digits = char.IsDigit(c) ? (c - '0').ToString(System.Globalization.CultureInfo.InvariantCulture)
                : char.IsAsciiLetterUpper(c) ? (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : null;
            if (digits is null)
            {
                return false;
            }

            foreach (var d in digits)
            {
                remainder = ((remainder * 10) + (d - '0')) % 97;
            }
        }

        return remainder == 1;
    }

    internal static bool IsCard(string candidate)
    {
        var digits = Digits(candidate);
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private static bool IsIpv4(string candidate) =>
        candidate.Split('.').All(part => int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= 255);

    private static bool IsPhone(string candidate)
    {
        var digits = Digits(candidate);
        if (digits.Length is < 8 or > 15 || DateLike().IsMatch(candidate) || Decimal().IsMatch(candidate))
        {
            return false;
        }

        var international = candidate.StartsWith('+') || candidate.StartsWith("00", StringComparison.Ordinal);
        var grouped = candidate.Any(c => c is ' ' or '-' or '.' or '(' or ')' or '/');
        var trunk = candidate.StartsWith('0') && digits.Length >= 9;
        return international || trunk || grouped;
    }

    private static string Digits(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Where(char.IsAsciiDigit))
        {
            sb.Append(c);
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // Compact ("DE89370400440532013000") or in groups of four ("DE89 3704 0044 0532 0130 00").
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])", RegexOptions.CultureInvariant)]
    private static partial Regex Card();

    [GeneratedRegex(@"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.]*\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"(?<![\w+])(?:\+|\(\+?)?\d[\d ()./-]{6,}\d(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    [GeneratedRegex(@"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateLike();

    [GeneratedRegex(@"^\d+[.,]\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex Decimal();
}
