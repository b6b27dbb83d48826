using System.Globalization;
using System.Text;

namespace LabelBench.Core.Export;

/// <summary>One token of a text: its characters and its code-point offsets (end exclusive).</summary>
public readonly record struct ConllToken(string Text, int Start, int End);

/// <summary>
/// The CoNLL export's tokenizer: the regular expression <c>\w+|[^\w\s]</c> applied to Unicode code points, where a word
/// character is a letter, a combining mark, a number or connector punctuation (<c>\p{L}\p{M}\p{N}\p{Pc}</c>, so
/// <c>_</c> too) and <c>\s</c> is Unicode white space. A run of word characters is one token; every other
/// non-space code point (punctuation, symbols, emoji) is a token of its own. Offsets count code points, like span offsets.
/// </summary>
/// <remarks>Written as a scanner over runes rather than a .NET regex, because .NET matches UTF-16 units and would split
/// a character outside the Basic Multilingual Plane in two.</remarks>
public static class ConllTokenizer
{
    public static List<ConllToken> Tokenize(string text)
    {
        var tokens = new List<ConllToken>();
        var word = new StringBuilder();
        var wordStart = 0;
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWord(rune))
            {
                if (word.Length == 0)
                {
                    wordStart = position;
                }

                word.Append(rune.ToString());
            }
            else
            {
                Flush(tokens, word, wordStart, position);
                if (!Rune.IsWhiteSpace(rune))
                {
                    tokens.Add(new ConllToken(rune.ToString(), position, position + 1));
                }
            }

            position++;
        }

        Flush(tokens, word, wordStart, position);
        return tokens;
    }

    private static void Flush(List<ConllToken> tokens, StringBuilder word, int start, int end)
    {
        if (word.Length > 0)
        {
            tokens.Add(new ConllToken(word.ToString(), start, end));
            word.Clear();
        }
    }

    private static bool IsWord(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };
}
