using LabelBench.Core.Schemas;

namespace LabelBench.Data.Services;

/// <summary>Why a use case was refused; the web app maps each to an HTTP status, the CLI to an exit code.</summary>
public enum ServiceErrorKind
{
    /// <summary>Bad input (400 / exit 2).</summary>
    Invalid,

    /// <summary>Missing, or not visible to the caller (404).</summary>
    NotFound,

    /// <summary>Visible, but the caller's role does not allow it (403).</summary>
    Forbidden,

    /// <summary>The state changed or the action was already done (409).</summary>
    Conflict,
}

/// <summary>A use case refused for a reason the caller can act on; the message says what is wrong.</summary>
public sealed class ServiceException(ServiceErrorKind kind, string message, IReadOnlyList<ValidationError>? errors = null)
    : Exception(message)
{
    public ServiceErrorKind Kind { get; } = kind;
    public IReadOnlyList<ValidationError> Errors { get; } = errors ?? [];

    public static ServiceException Invalid(string message, IReadOnlyList<ValidationError>? errors = null) => new(ServiceErrorKind.Invalid, message, errors);

    public static ServiceException NotFound(string message) => new(ServiceErrorKind.NotFound, message);

    public static ServiceException Forbidden(string message) => new(ServiceErrorKind.Forbidden, message);

    public static ServiceException Conflict(string message) => new(ServiceErrorKind.Conflict, message);
}

/// <summary>Who is asking: every service checks this caller's project role before it reads or writes.</summary>
public sealed record Caller(string UserId, bool IsAdmin = false)
{
    /// <summary>The command line run by the machine's operator, who administers the server.</summary>
    public static Caller System { get; } = new("system", IsAdmin: true);
}
