using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelBench.Core.Json;

namespace LabelBench.Core.Import;

/// <summary>
/// Streams items from JSONL: one JSON object a line, <c>{"id", "data", "predictions", "split"}</c>; blank lines are skipped.
/// </summary>
/// <remarks>
/// <para>With a <c>data</c> key, <c>data</c> must be an object and is the item's data; <c>id</c>, <c>split</c> and
/// <c>predictions</c> sit beside it and no other key is allowed (a typo would otherwise be lost silently).</para>
/// <para>Without a <c>data</c> key the whole object is the data: <c>id</c> is also read as the external id and
/// <c>split</c> as the split, and both stay in the data; only <c>predictions</c> is taken out, since model output
/// is not item content.</para>
/// <para><c>id</c> is a non-empty string or a whole number (kept as its decimal text). <c>split</c> is train, validation
/// or test. A repeated id is the import's to refuse (it checks against the database, so memory stays flat however
/// many ids a file holds).</para>
/// <para>A line of LabelBench's own JSONL export, <c>{"id", "externalId", "data", "split", "annotations", "final",
/// "finalSource"}</c>, imports back whole: <c>externalId</c> is the external id (its <c>id</c> was the item's id in the
/// exported project and is ignored), each <c>annotations</c> entry with status <c>submitted</c> (or none) becomes an
/// <see cref="AnnotationRecord"/>, and a <c>final</c> whose <c>finalSource</c> is <c>adjudication</c> becomes
/// <see cref="ImportRecord.Adjudicated"/>.</para>
/// <para>The file must be UTF-8 (a BOM is allowed). A seekable stream is checked before anything is yielded, so a
/// mis-encoded file yields only its whole-file rejection; a non-seekable one may end with it after records
/// (see <see cref="ImportRow"/>).</para>
/// </remarks>
public sealed class JsonlItemReader : IItemReader
{
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public async IAsyncEnumerable<ImportRow> ReadAsync(Stream stream, string sourceName, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (stream.CanSeek)
        {
            var start = stream.Position;
            var encodingProblem = await StrictUtf8.FindProblemAsync(stream, ct);
            if (encodingProblem is not null)
            {
                yield return ImportRow.Rejected(sourceName, 0, encodingProblem);
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
                yield return ImportRow.Rejected(sourceName, 0, StrictUtf8.NotUtf8AfterLine(lineNumber));
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

            yield return ParseLine(line, lineNumber, sourceName);
        }
    }

    private static ImportRow ParseLine(string line, int lineNumber, string sourceName)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line, documentOptions: StrictJson);
        }
        catch (JsonException ex)
        {
            return ImportRow.Rejected(sourceName, lineNumber, $"not valid JSON: {JsonErrors.Describe(ex)}");
        }

        if (node is not JsonObject obj)
        {
            return ImportRow.Rejected(sourceName, lineNumber, "each line must be one JSON object");
        }

        JsonObject data;
        if (obj.ContainsKey("data"))
        {
            if (obj["data"] is not JsonObject inner)
            {
                return ImportRow.Rejected(sourceName, lineNumber, "\"data\" must be a JSON object");
            }

            var unknown = obj.Select(p => p.Key).FirstOrDefault(k => k is not ("id" or "data" or "predictions" or "split" or "externalId" or "annotations" or "final" or "finalSource"));
            if (unknown is not null)
            {
                return ImportRow.Rejected(sourceName, lineNumber, $"unknown property \"{unknown}\" beside \"data\" (expected id, data, predictions, split, or an export's externalId, annotations, final, finalSource); put item fields inside \"data\"");
            }

            obj.Remove("data");
            data = inner;
        }
        else
        {
            data = obj;
        }

        // The export's keys count only beside "data": without it they are item data like any other key.
        var besideData = !ReferenceEquals(data, obj);
        var exported = besideData && obj.ContainsKey("externalId");
        if (!TryReadExternalId(exported ? obj["externalId"] : obj["id"], out var externalId))
        {
            return ImportRow.Rejected(sourceName, lineNumber, exported ? "\"externalId\" must be null, a non-empty string or a whole number" : "\"id\" must be a non-empty string or a whole number");
        }

        string? annotationError = null;
        var annotations = besideData ? ExportedAnnotations.Read(obj["annotations"], out annotationError) : [];
        if (annotations is null)
        {
            return ImportRow.Rejected(sourceName, lineNumber, annotationError!);
        }

        JsonObject? adjudicated = null;
        if (besideData && JsonNumber.TryGetString(obj["finalSource"], out var finalSource) && finalSource == "adjudication" && obj["final"] is JsonObject final)
        {
            adjudicated = final;
        }

        string? split = null;
        if (obj["split"] is { } splitNode)
        {
            if (!JsonNumber.TryGetString(splitNode, out var s) || !DatasetSplits.IsValid(s))
            {
                return ImportRow.Rejected(sourceName, lineNumber, DatasetSplits.Problem(splitNode.ToJsonString().Trim('"')));
            }

            split = s;
        }

        var predictions = PredictionParser.Read(obj["predictions"], out var predictionError);
        if (predictions is null)
        {
            return ImportRow.Rejected(sourceName, lineNumber, predictionError!);
        }

        // Without "data" the object is the data; predictions are model output, not item content.
        obj.Remove("predictions");
        return ImportRow.Accepted(new ImportRecord(lineNumber, externalId, data, predictions, split) { Annotations = annotations, Adjudicated = adjudicated });
    }

    private static bool TryReadExternalId(JsonNode? node, out string? id)
    {
        id = null;
        if (node is null)
        {
            return true;
        }

        if (JsonNumber.TryGetString(node, out var s))
        {
            id = s;
            return s.Length > 0;
        }

        // Whole numbers only: "1.5" or 1e3 as an id is more likely a mistake than an intent.
        if (node is JsonValue v && v.TryGetValue(out JsonElement element) && element.TryGetInt64(out var n))
        {
            id = n.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }
}
