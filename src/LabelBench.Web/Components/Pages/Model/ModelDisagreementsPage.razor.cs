using LabelBench.Data.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LabelBench.Web.Components.Pages.Model;

/// <summary>The "disagreement with the model" view: final labels that contradict the newest prediction, most confident first, a page at a time.</summary>
public sealed partial class ModelDisagreementsPage
{
    private string? error;

    [Inject]
    private ActiveLearningService Model { get; set; } = default!;

    private async Task<TableData<ModelDisagreement>> LoadAsync(TableState state, CancellationToken ct)
    {
        try
        {
            var page = await Model.DisagreementsAsync(Caller, Id, state.Page + 1, state.PageSize, ct);
            error = null;
            return new TableData<ModelDisagreement> { Items = page.Items, TotalItems = (int)Math.Min(page.Total, int.MaxValue) };
        }
        catch (ServiceException ex)
        {
            error = ex.Message;
            return new TableData<ModelDisagreement> { Items = [], TotalItems = 0 };
        }
    }
}
