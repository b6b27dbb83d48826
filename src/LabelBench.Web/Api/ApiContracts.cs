using System.Text.Json.Nodes;

namespace LabelBench.Web.Api;

/// <summary>Body of <c>POST /api/v1/projects</c>.</summary>
public sealed record CreateProjectRequest(
    string? Name,
    JsonNode? Schema,
    int? Overlap,
    string? Description,
    string? Guidelines,
    string? QueueOrder,
    bool? Blind,
    bool? ShowPredictions,
    int? MaxOverlap = null,
    int? LeaseMinutes = null);

public sealed record CreatedResponse(long Id);

/// <summary>Body of <c>POST /api/v1/projects/{id}/members</c>.</summary>
public sealed record AddMemberRequest(string? Email, string? Role);

/// <summary>Body of <c>POST .../annotations</c>; the idempotency key may also come as the <c>Idempotency-Key</c> header.</summary>
public sealed record SubmitAnnotationRequest(JsonNode? Result, long? TimeSpentMs, string? IdempotencyKey);

public sealed record SubmitAnnotationResponse(long Id, bool Created);

/// <summary>Body of <c>PUT .../draft</c>.</summary>
public sealed record SaveDraftRequest(JsonObject? Result, long? TimeSpentMs);

/// <summary>Body of <c>PUT .../items/{itemId}/annotations/mine</c>: the corrected result and the time spent correcting.</summary>
public sealed record CorrectAnnotationRequest(JsonNode? Result, long? TimeSpentMs);

public sealed record CorrectAnnotationResponse(long Id);
