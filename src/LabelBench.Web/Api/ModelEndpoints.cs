using System.Security.Claims;
using LabelBench.Data.Services;
using LabelBench.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace LabelBench.Web.Api;

/// <summary>Body of <c>POST .../model/train</c> (optional): which choices field to learn.</summary>
public sealed record ModelTrainBody(string? Field);

/// <summary>Body of <c>PUT .../model/settings</c>: only what is given changes; <c>modelServiceUrl: ""</c> removes the service.</summary>
public sealed record ModelSettingsBody(string? UncertaintyMeasure, int? AutoTrainEvery, string? ModelServiceUrl);

/// <summary>Body of <c>POST .../model/service/test</c> (optional): an address to try instead of the saved one.</summary>
public sealed record ModelServiceTestBody(string? Url);

/// <summary>The model loop under <c>/api/v1/projects/{id}</c>: predictions, the built-in classifier, the model service and model-vs-human figures.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/projects/{id:long}")
            .RequireAuthorization(AuthPolicies.Api)
            .AddEndpointFilter<ServiceProblemFilter>()
            .DisableAntiforgery()
            .WithTags("Model");

        group.MapPost("/predictions", async (long id, HttpRequest request, ClaimsPrincipal user, PredictionService predictions, CancellationToken ct) =>
        {
            List<ImportFile> files;
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(ct);
                files = form.Files.Select(f => new ImportFile(f.FileName, f.Length, f.OpenReadStream)).ToList();
            }
            else
            {
                // Buffered (to disk when large) so the whole body is checked as UTF-8 before anything is stored.
                request.EnableBuffering(bufferThreshold: 1024 * 1024);
                files = [new ImportFile("request body", request.ContentLength ?? -1, () => new LeaveOpenStream(request.Body))];
            }

            if (files.Count == 0 || (files.Count == 1 && files[0].Length == 0))
            {
                throw ServiceException.Invalid("send JSONL lines {itemId or externalId, model, result, score?, scores?} as the body or as multipart files", [new("body", "no predictions")]);
            }

            return TypedResults.Ok(await predictions.ImportAsync(user.ToCaller(), id, files, ct));
        }).WithSummary("Import predictions for existing items: JSONL (body or multipart files) of {itemId or externalId, model, result, score?, scores?}; report {imported, rejected: [{source, line, error}]}")
            .Accepts<string>("application/x-ndjson", "application/jsonl", "multipart/form-data")
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .WithFormOptions(multipartBodyLengthLimit: 8L * 1024 * 1024 * 1024);

        group.MapPost("/model/train", async (long id, string? field, HttpRequest request, ClaimsPrincipal user, ModelTrainingService training, CancellationToken ct) =>
        {
            if (request.HasJsonContentType() && request.ContentLength != 0)
            {
                var body = await request.ReadFromJsonAsync<ModelTrainBody>(ct);
                field ??= body?.Field;
            }

            var outcome = await training.TrainAsync(user.ToCaller(), id, new TrainingRequest(field, LearningCurve: true), ct);
            return TypedResults.Ok(outcome.ToReport());
        }).WithSummary("Train the built-in text classifier on the final labels and predict the rest: {trainedOn, heldOutAccuracy, predicted} (leads)")
            .Accepts<ModelTrainBody>(isOptional: true, "application/json");

        group.MapGet("/model", async (long id, ClaimsPrincipal user, ActiveLearningService model, CancellationToken ct) =>
            TypedResults.Ok(await model.ReportAsync(user.ToCaller(), id, ct)))
            .WithSummary("Model versus human: per model version agreement with final labels and share of pre-annotations accepted unchanged; rounds; learning curve");

        group.MapGet("/model/settings", async (long id, ClaimsPrincipal user, ActiveLearningService model, CancellationToken ct) =>
            TypedResults.Ok(await model.SettingsAsync(user.ToCaller(), id, ct)))
            .WithSummary("Uncertainty measure, automatic retraining and model service address");

        group.MapPut("/model/settings", async (long id, ModelSettingsBody body, ClaimsPrincipal user, ActiveLearningService model, CancellationToken ct) =>
            TypedResults.Ok(await model.UpdateSettingsAsync(user.ToCaller(), id, new ModelSettingsUpdate(body.UncertaintyMeasure, body.AutoTrainEvery, body.ModelServiceUrl), ct)))
            .WithSummary("Change {uncertaintyMeasure: least-confidence|margin|entropy, autoTrainEvery: N (0 off), modelServiceUrl} (leads)");

        group.MapPost("/model/service/predict", async (long id, ClaimsPrincipal user, ModelServiceSync service, CancellationToken ct) =>
            TypedResults.Ok(await service.FetchPredictionsAsync(user.ToCaller(), id, ct)))
            .WithSummary("Fetch predictions now: send every item without a final label to {url}/predict and store the answers (leads)");

        group.MapPost("/model/service/train", async (long id, ClaimsPrincipal user, ModelServiceSync service, CancellationToken ct) =>
            TypedResults.Ok(await service.SendLabelsAsync(user.ToCaller(), id, ct)))
            .WithSummary("Send the final labels that are new since the last time to {url}/train (leads)");

        group.MapPost("/model/service/test", async (long id, HttpRequest request, ClaimsPrincipal user, ModelServiceSync service, CancellationToken ct) =>
        {
            string? url = null;
            if (request.HasJsonContentType() && request.ContentLength != 0)
            {
                url = (await request.ReadFromJsonAsync<ModelServiceTestBody>(ct))?.Url;
            }

            return TypedResults.Ok(await service.TestConnectionAsync(user.ToCaller(), id, url, ct));
        }).WithSummary("Test the connection to the model service (the saved address or {url}) (leads)")
            .Accepts<ModelServiceTestBody>(isOptional: true, "application/json");

        group.MapGet("/model/disagreements", async (long id, int? page, int? pageSize, ClaimsPrincipal user, ActiveLearningService model, CancellationToken ct) =>
            TypedResults.Ok(await model.DisagreementsAsync(user.ToCaller(), id, page ?? 1, pageSize ?? 50, ct)))
            .WithSummary("Items whose final label differs from their newest prediction, most confident prediction first");

        return group;
    }

    /// <summary>The request body for a reader that disposes its stream; the server owns the body.</summary>
    private sealed class LeaveOpenStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
