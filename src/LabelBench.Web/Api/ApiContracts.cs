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

/// <summary>Body of <c>PUT /api/v1/projects/{id}/schema</c>: the new schema and, for a change that orphans annotations, the migrations.</summary>
public sealed record UpdateSchemaRequest(JsonNode? Schema, JsonNode? Migrations);

/// <summary>Body of <c>PATCH /api/v1/projects/{id}</c>: only the settings given change; "" clears the description or guidelines.</summary>
public sealed record UpdateProjectRequest(
    string? Name,
    string? Description,
    int? Overlap,
    string? QueueOrder,
    bool? Blind,
    bool? ShowPredictions,
    bool? AllowSelfReview,
    int? LeaseMinutes,
    string? AgreementRule,
    string? Guidelines,
    IReadOnlyList<string>? HiddenDataKeys,
    bool? MaskPii,
    bool? AnnotatorsPseudonymised);

/// <summary>Body of <c>PUT /api/v1/projects/{id}/members/{userId}</c>: every role the person holds (none removes them).</summary>
public sealed record SetRolesRequest(IReadOnlyList<string>? Roles);
/// <summary>Body of <c>PUT .../items/{itemId}/annotations/mine</c>: the corrected result and the time spent correcting.</summary>
public sealed record CorrectAnnotationRequest(JsonNode? Result, long? TimeSpentMs);

public sealed record CorrectAnnotationResponse(long Id);
