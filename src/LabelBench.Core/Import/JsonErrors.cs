using System.Text.Json;

namespace LabelBench.Core.Import;

/// <summary>Turns a <see cref="JsonException"/> into a short message a user can act on.</summary>
internal static class JsonErrors
{
    public static string Describe(JsonException ex)
    {
        var message = ex.Message;
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var i = message.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0)
            {
                message = message[..i];
            }
        }

        message = message.TrimEnd(' ', '.');
        return ex.BytePositionInLine is { } position ? $"{message} (at byte {position + 1} of the line)" : message;
    }
}
