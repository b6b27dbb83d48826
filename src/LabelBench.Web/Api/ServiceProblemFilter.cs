using LabelBench.Data.Services;

namespace LabelBench.Web.Api;

/// <summary>Turns a refused use case into <c>application/problem+json</c> whose detail says what is wrong.</summary>
public sealed class ServiceProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ServiceException ex)
        {
            return ToProblem(ex);
        }
    }

    public static IResult ToProblem(ServiceException ex)
    {
        var (status, title) = ex.Kind switch
        {
            ServiceErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            ServiceErrorKind.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden"),
            ServiceErrorKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            _ => (StatusCodes.Status400BadRequest, "Invalid request"),
        };
        var extensions = ex.Errors.Count == 0
            ? null
            : new Dictionary<string, object?> { ["errors"] = ex.Errors.Select(e => new { path = e.Path, message = e.Message }).ToList() };
        return Results.Problem(detail: ex.Message, statusCode: status, title: title, extensions: extensions);
    }
}
