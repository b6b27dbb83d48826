using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Import;
using LabelBench.Core.Json;

namespace LabelBench.Core.ActiveLearning;

/// <summary>
/// Streams a predictions file: JSONL, one <c>{"itemId" or "externalId", "model", "result", "score"?, "scores"?}</c> a
/// line; blank lines are skipped. Each refused line is reported with its number and the property at fault.
/// </summary>
/// <remarks>
/// <para><c>itemId</c> is LabelBench's item id (a positive whole number); <c>externalId</c> the id the item was imported
/// with (a non-empty string or a whole number). Either names the item; with both, they must name the same one (the
/// caller checks that against the database). Whether the item exists, and whether the result fits the schema, are the
/// caller's to check too.</para>
/// <para>The file must be UTF-8; a seekable stream is checked before anything is yielded (as <see cref="JsonlItemReader"/>).</para>
/// </remarks>
public sealed class PredictionLineReader
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };
    private static readonly HashSet<string> KnownKeys = ["itemId", "externalId", "model", "result", "score", "scores"];

    public async IAsyncEnumerable<PredictionRow> ReadAsync(Stream stream, string sourceName, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (stream.CanSeek)
        {
            var start = stream.Position;
            var encodingProblem = await StrictUtf8.FindProblemAsync(stream, ct);
            if (encodingProblem is not null)
            {
                yield return PredictionRow.Rejected(sourceName, 0, encodingProblem);
                yield break;
            }

            stream.Position = start;
        }

        using var reader = StrictUtf8.OpenReader(stream);
        var lineNumber = 0;
        while (true)
        {
            string? line = null;
            var notUtf8 = false;
            try
            {
                line = await reader.ReadLineAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                notUtf8 = true;
            }

            if (notUtf8)
            {
                yield return PredictionRow.Rejected(sourceName, 0, StrictUtf8.NotUtf8AfterLine(lineNumber));
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode? node;
            string? jsonError = null;
            try
            {
                node = JsonNode.Parse(line, documentOptions: StrictJson);
            }
            catch (JsonException ex)
            {
                node = null;
                jsonError = $"not valid JSON: {JsonErrors.Describe(ex)}";
            }

            yield return jsonError is not null
                ? PredictionRow.Rejected(sourceName, lineNumber, jsonError)
                : Parse(node, lineNumber, sourceName);
        }
    }

    /// <summary>Checks one prediction object (a line of a file, or an element of a model service's answer).</summary>
    public static PredictionRow Parse(JsonNode? node, int line, string sourceName)
    {
        if (node is not JsonObject obj)
        {
            return PredictionRow.Rejected(sourceName, line, "each line must be one JSON object {\"itemId\" or \"externalId\", \"model\", \"result\", \"score\"?, \"scores\"?}");
        }

        var unknown = obj.Select(p => p.Key).FirstOrDefault(k => !KnownKeys.Contains(k));
        if (unknown is not null)
        {
            return PredictionRow.Rejected(sourceName, line, $"unknown property \"{unknown}\" (expected itemId or externalId, model, result, score, scores)");
        }

        long? itemId = null;
        if (obj["itemId"] is { } idNode)
        {
            if (!TryReadItemId(idNode, out var id))
            {
                return PredictionRow.Rejected(sourceName, line, "itemId must be a LabelBench item id: a positive whole number");
            }

            itemId = id;
        }

        string? externalId = null;
        if (obj["externalId"] is { } externalNode)
        {
            if (!TryReadExternalId(externalNode, out var ext))
            {
                return PredictionRow.Rejected(sourceName, line, "externalId must be a non-empty string or a whole number");
            }

            externalId = ext;
        }

        if (itemId is null && externalId is null)
        {
            return PredictionRow.Rejected(sourceName, line, "itemId or externalId is required: which item the prediction is for");
        }

        var prediction = PredictionParser.ReadOne(obj, string.Empty, out var error);
        return prediction is null
            ? PredictionRow.Rejected(sourceName, line, error!)
            : PredictionRow.Accepted(new PredictionLine(line, itemId, externalId, prediction));
    }

    private static bool TryReadItemId(JsonNode node, out long id)
    {
        id = 0;
        // Ids are whole numbers well inside the range a double holds exactly.
        if (!JsonNumber.TryGetDouble(node, out var d) || d != Math.Floor(d) || d is < 1 or > 9_007_199_254_740_991)
        {
            return false;
        }

        id = (long)d;
        return true;
    }

    private static bool TryReadExternalId(JsonNode node, out string id)
    {
        if (JsonNumber.TryGetString(node, out id))
        {
            return id.Length > 0;
        }

        if (node is JsonValue v && v.TryGetValue(out JsonElement element) && element.TryGetInt64(out var n))
        {
            id = n.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        if (JsonNumber.TryGetDouble(node, out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15)
        {
            id = ((long)d).ToString(CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }
}
