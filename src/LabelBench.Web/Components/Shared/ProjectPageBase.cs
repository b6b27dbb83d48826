using LabelBench.Data.Services;
using LabelBench.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace LabelBench.Web.Components.Shared;

/// <summary>
/// Base of the pages under <c>/projects/{id}</c>: loads the project for the signed-in caller. The services decide
/// access (non-members see "not found", members without the role see "forbidden"); the page only shows the answer.
/// </summary>
public abstract class ProjectPageBase : ComponentBase
{
    [Parameter]
    public long Id { get; set; }

    [CascadingParameter]
    protected Task<AuthenticationState> AuthState { get; set; } = default!;

    [Inject]
    protected ProjectService Projects { get; set; } = default!;

    protected Caller Caller { get; private set; } = default!;

    protected ProjectDetails? Project { get; private set; }

    /// <summary>Why the page cannot show the project, if it cannot.</summary>
    protected string? AccessError { get; set; }

    protected bool HasRole(string role) => Project?.Summary.MyRoles.Contains(role) == true;

    protected override async Task OnParametersSetAsync()
    {
        Caller = (await AuthState).User.ToCaller();
        try
        {
            Project = await Projects.GetAsync(Caller, Id);
            AccessError = null;
            await OnProjectLoadedAsync();
        }
        catch (ServiceException ex)
        {
            AccessError = ex.Message;
        }
    }

    protected virtual Task OnProjectLoadedAsync() => Task.CompletedTask;

    /// <summary>Reloads the project (after a change made on the page).</summary>
    protected async Task ReloadProjectAsync() => Project = await Projects.GetAsync(Caller, Id);
}
