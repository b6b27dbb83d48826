using System.Text;

namespace LabelBench.Core.Agreement;

/// <summary>
/// Splits a top-level JSON array of objects into the text of one object at a time with the line it starts on, so a large
/// .json file streams and errors can name lines. Only the array's structure is checked here; each object is parsed later.
/// </summary>
internal static class JsonArrayElements
{
    public static IEnumerable<(string Text, long Line)> Split(TextReader reader, string sourceName)
    {
        long line = 1;
        var element = new StringBuilder();

        int Next()
        {
            var c = reader.Read();
            if (c == '\n')
            {
                line++;
            }

            return c;
        }

        int NextSignificant()
        {
            int c;
            do
            {
                c = Next();
            }
            while (c >= 0 && char.IsWhiteSpace((char)c));
            return c;
        }

        AgreementInputException Expected(string what, int found) => new(
            sourceName, line, null, $"expected {what}, found {(found < 0 ? "the end of the file" : $"'{(char)found}'")}");

        var first = NextSignificant();
        if (first != '[')
        {
            throw Expected("'[' starting an array of objects", first);
        }

        var c = NextSignificant();
        if (c == ']')
        {
            yield break;
        }

        while (true)
        {
            if (c != '{')
            {
                throw Expected("'{' starting an object", c);
            }

            var startLine = line;
            element.Clear().Append('{');
            var depth = 1;
            var inString = false;
            while (depth > 0)
            {
                c = Next();
                if (c < 0)
                {
                    throw new AgreementInputException(sourceName, startLine, null, "the object starting here is not closed");
                }

                element.Append((char)c);
                if (inString)
                {
                    if (c == '\\')
                    {
                        var escaped = Next();
                        if (escaped >= 0)
                        {
                            element.Append((char)escaped);
                        }
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }
                }
                else if (c == '"')
                {
                    inString = true;
                }
                else if (c is '{' or '[')
                {
                    depth++;
                }
                else if (c is '}' or ']')
                {
                    depth--;
                }
            }

            yield return (element.ToString(), startLine);

            c = NextSignificant();
            if (c == ']')
            {
                yield break;
            }

            if (c != ',')
            {
                throw Expected("',' or ']' after an object", c);
            }

            c = NextSignificant();
        }
    }
}
