using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LabelBench.Data.ActiveLearning;

/// <summary>An item sent to a model service's <c>/predict</c>.</summary>
public sealed record ModelServiceItem(long Id, string? ExternalId, JsonObject Data);

/// <summary>A final label sent to a model service's <c>/train</c>.</summary>
public sealed record ModelServiceLabel(long Id, string? ExternalId, JsonObject Data, JsonObject Result);

/// <summary>The outcome of "test connection".</summary>
public sealed record ModelServiceTest(bool Ok, string Message, long ElapsedMs);

/// <summary>A model service call that failed; the message says why in terms a lead can act on.</summary>
public sealed class ModelServiceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The HTTP protocol of external model services (as Label Studio's ML backend): LabelBench POSTs
/// <c>{"items": [{"id", "externalId", "data"}]}</c> to <c>{url}/predict</c> and reads
/// <c>{"predictions": [{"itemId", "model", "result", "score"?, "scores"?}]}</c>; it POSTs
/// <c>{"projectId", "labels": [{"id", "externalId", "data", "result"}]}</c> to <c>{url}/train</c> and expects any 2xx.
/// Every connection goes through <see cref="OutboundConnectionGuard"/>; timeouts and retries come from the standard
/// resilience handler of the named client <see cref="HttpClientName"/>.
/// </summary>
public sealed class ModelServiceClient(IHttpClientFactory clients)
{
    public const string HttpClientName = "LabelBench.ModelService";

    public async Task<JsonArray> PredictAsync(Uri baseUrl, IReadOnlyList<ModelServiceItem> items, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["items"] = new JsonArray(items.Select(i => (JsonNode?)new JsonObject
            {
                ["id"] = i.Id,
                ["externalId"] = i.ExternalId,
                ["data"] = i.Data.DeepClone(),
            }).ToArray()),
        };
        var url = Endpoint(baseUrl, "predict");
        var answer = await PostAsync(url, body, ct);
        if (answer is not JsonObject { } obj || obj["predictions"] is not JsonArray predictions)
        {
            throw new ModelServiceException($"{url} answered without a \"predictions\" list: expected {{\"predictions\": [{{\"itemId\", \"model\", \"result\", \"score\"?, \"scores\"?}}]}}");
        }

        obj.Remove("predictions");
        return predictions;
    }

    public async Task TrainAsync(Uri baseUrl, long projectId, IReadOnlyList<ModelServiceLabel> labels, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["projectId"] = projectId,
            ["labels"] = new JsonArray(labels.Select(l => (JsonNode?)new JsonObject
            {
                ["id"] = l.Id,
                ["externalId"] = l.ExternalId,
                ["data"] = l.Data.DeepClone(),
                ["result"] = l.Result.DeepClone(),
            }).ToArray()),
        };
        await PostAsync(Endpoint(baseUrl, "train"), body, ct, expectJson: false);
    }

    /// <summary>Asks <c>/predict</c> about no items: the service must answer 200 with a predictions list.</summary>
    public async Task<ModelServiceTest> TestAsync(Uri baseUrl, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await PredictAsync(baseUrl, [], ct);
            return new ModelServiceTest(true, $"{Endpoint(baseUrl, "predict")} answered as a model service should", watch.ElapsedMilliseconds);
        }
        catch (ModelServiceException ex)
        {
            return new ModelServiceTest(false, ex.Message, watch.ElapsedMilliseconds);
        }
    }

    public static Uri Endpoint(Uri baseUrl, string action)
    {
        var text = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri($"{text}/{action}");
    }

    private async Task<JsonNode?> PostAsync(Uri url, JsonObject body, CancellationToken ct, bool expectJson = true)
    {
        using var http = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            // Never HTTP/3: QUIC connections do not go through the guard's ConnectCallback.
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (Refusal(ex) is { } refused)
        {
            throw new ModelServiceException(refused.Message, refused);
        }
        catch (OutboundAddressRefusedException ex)
        {
            throw new ModelServiceException(ex.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ModelServiceException($"{url} could not be reached: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ModelServiceException($"{url} did not answer in time", ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new ModelServiceException($"{url} failed repeatedly a moment ago; LabelBench waits a little before calling it again", ex);
        }

        using (response)
        {
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                throw new ModelServiceException($"{url} answered {(int)response.StatusCode} (a redirect to {response.Headers.Location}); LabelBench does not follow redirects: configure the final address");
            }

            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(ct);
            }
            catch (HttpRequestException ex)
            {
                throw new ModelServiceException($"{url}: the answer could not be read ({ex.Message})", ex);
            }

            if (!response.IsSuccessStatusCode)
            {
                var excerpt = text.Length > 300 ? text[..300] + "…" : text;
                throw new ModelServiceException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}{(excerpt.Length > 0 ? ": " + excerpt : string.Empty)}");
            }

            if (!expectJson)
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new ModelServiceException($"{url} answered with something that is not JSON: {ex.Message}", ex);
            }
        }
    }

    private static OutboundAddressRefusedException? Refusal(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is OutboundAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    internal static bool IsRefusal(Exception? ex) => ex is not null && Refusal(ex) is not null;
}
