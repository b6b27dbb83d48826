using LabelBench.Core.Schemas;
using LabelBench.Data.Entities;
using LabelBench.Data.Services;
using Microsoft.AspNetCore.Components;

namespace LabelBench.Web.Components.Pages.Projects;

/// <summary>
/// <c>/projects/{id}/settings</c>: the schema designer, settings, guidelines, members, archive and delete. The page
/// composes the feature components and calls <see cref="ProjectService"/>, which checks the caller's role again.
/// </summary>
public sealed partial class ProjectSettingsPage
{
    private SchemaDesignContext? design;
    private ProjectStats? stats;
    private LabelSchema designerSchema = new([]);
    private int? designerVersion;
    private LabelSchema? pendingSchema;
    private SchemaChangePreview? change;
    private bool busy;
    private int tab;
    private string? schemaError;
    private string? schemaMessage;
    private string? migrationError;
    private string? settingsMessage;
    private string? guidelinesMessage;
    private string? memberError;
    private string? dangerError;

    [Inject]
    private NavigationManager Nav { get; set; } = default!;

    private bool IsLead => HasRole("lead");

    private IReadOnlySet<string> SchemaKeys => Project!.Schema.DataKeys().ToHashSet(StringComparer.Ordinal);

    private string SchemaFileName => $"{string.Concat(Project!.Summary.Name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')).Trim('-')}-schema-v{Project.Summary.SchemaVersion}.json";

    protected override async Task OnProjectLoadedAsync()
    {
        if (designerVersion != Project!.Summary.SchemaVersion)
        {
            // The designer restarts from the saved schema only when a new version exists, not on every reload.
            designerVersion = Project.Summary.SchemaVersion;
            designerSchema = Project.Schema;
        }

        design = IsLead ? await Projects.DesignContextAsync(Caller, Id) : null;
        await LoadStatsAsync();
    }

    private async Task LoadStatsAsync() =>
        stats = IsLead || HasRole("reviewer") ? await Projects.StatsAsync(Caller, Id) : null;

    private static string YesNo(bool value) => value ? "yes" : "no";

    private async Task SaveSchemaAsync(LabelSchema schema)
    {
        await RunAsync(async () =>
        {
            pendingSchema = schema;
            var preview = await Projects.PreviewSchemaChangeAsync(Caller, Id, LabelSchemaJson.Serialize(schema));
            if (!preview.Report.CanApply)
            {
                change = preview;
                migrationError = null;
                return;
            }

            await CommitSchemaAsync(schema, []);
        }, message => schemaError = message);
    }

    private async Task ApplyMigrationsAsync(IReadOnlyList<SchemaMigration> migrations)
    {
        if (pendingSchema is null)
        {
            return;
        }

        await RunAsync(async () =>
        {
            var preview = await Projects.PreviewSchemaChangeAsync(Caller, Id, LabelSchemaJson.Serialize(pendingSchema), migrations);
            if (preview.Report.MigrationErrors.Count > 0)
            {
                migrationError = string.Join("; ", preview.Report.MigrationErrors.Select(e => e.Message));
                return;
            }

            if (!preview.Report.CanApply)
            {
                change = preview;
                migrationError = "Some changes still have no migration.";
                return;
            }

            await CommitSchemaAsync(pendingSchema, migrations);
        }, message => migrationError = message);
    }

    private async Task CommitSchemaAsync(LabelSchema schema, IReadOnlyList<SchemaMigration> migrations)
    {
        var result = await Projects.UpdateSchemaAsync(Caller, Id, LabelSchemaJson.Serialize(schema), migrations);
        change = null;
        pendingSchema = null;
        schemaMessage = !result.Changed
            ? "Nothing changed: this is the current schema."
            : result.Migrated > 0
                ? $"Saved as version {result.Version}; {result.Migrated} annotation(s) migrated."
                : $"Saved as version {result.Version}.";
        await ReloadAsync();
    }

    private void CancelChange()
    {
        change = null;
        pendingSchema = null;
        migrationError = null;
    }

    private Task SaveSettingsAsync(ProjectSettingsUpdate update) => RunAsync(async () =>
    {
        await Projects.UpdateSettingsAsync(Caller, Id, update);
        settingsMessage = "Settings saved.";
        await ReloadAsync();
    }, message => settingsMessage = message);

    private Task SaveGuidelinesAsync(string markdown) => RunAsync(async () =>
    {
        await Projects.UpdateSettingsAsync(Caller, Id, new ProjectSettingsUpdate { Guidelines = markdown });
        guidelinesMessage = "Guidelines saved.";
        await ReloadAsync();
    }, message => guidelinesMessage = message);

    private Task AddMemberAsync((string Email, ProjectRole Role) member) => RunAsync(async () =>
    {
        await Projects.AddMemberAsync(Caller, Id, member.Email, member.Role);
        await LoadStatsAsync();
    }, message => memberError = message);

    private Task SetRolesAsync((string UserId, IReadOnlyCollection<ProjectRole> Roles) member) => RunAsync(async () =>
    {
        await Projects.SetRolesAsync(Caller, Id, member.UserId, member.Roles);
        await ReloadAsync();
    }, message => memberError = message);

    private Task RemoveMemberAsync(string userId) => RunAsync(async () =>
    {
        await Projects.RemoveMemberAsync(Caller, Id, userId);
        await ReloadAsync();
    }, message => memberError = message);

    private Task ArchiveAsync(bool archived) => RunAsync(async () =>
    {
        await Projects.ArchiveAsync(Caller, Id, archived);
        await ReloadAsync();
    }, message => dangerError = message);

    private Task DeleteAsync(string confirmName) => RunAsync(async () =>
    {
        await Projects.DeleteAsync(Caller, Id, confirmName);
        Nav.NavigateTo("/projects");
    }, message => dangerError = message);

    /// <summary>Reloads the project, and the figures that depend on it; a caller who lost access sees why.</summary>
    private async Task ReloadAsync()
    {
        try
        {
            await ReloadProjectAsync();
            await OnProjectLoadedAsync();
        }
        catch (ServiceException ex)
        {
            AccessError = ex.Message;
        }
    }

    /// <summary>Runs a change with the page busy; a refusal from the service is shown where the change was asked for.</summary>
    private async Task RunAsync(Func<Task> action, Action<string> showError)
    {
        busy = true;
        schemaError = null;
        schemaMessage = null;
        settingsMessage = null;
        guidelinesMessage = null;
        memberError = null;
        dangerError = null;
        try
        {
            await action();
        }
        catch (ServiceException ex)
        {
            showError(ex.Errors.Count > 0 ? string.Join("; ", ex.Errors.Select(e => e.ToString())) : ex.Message);
        }
        finally
        {
            busy = false;
        }
    }
}
