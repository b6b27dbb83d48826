using Bunit;
using LabelBench.Core.Schemas;
using MudBlazor.Services;

namespace LabelBench.Web.Tests.Components;

/// <summary>A bunit context with MudBlazor's services; its JS calls (focus, measuring) answer with defaults.</summary>
/// <remarks>
/// Disposed asynchronously through <see cref="IAsyncLifetime"/>: some MudBlazor services are only
/// <see cref="IAsyncDisposable"/>, and xunit 2 would otherwise dispose the context synchronously.
/// </remarks>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    protected static LabelSchema Schema(string json)
    {
        var parsed = LabelSchemaJson.Parse(json);
        Assert.True(parsed.IsValid, parsed.Describe());
        return parsed.Value!;
    }

    protected static SchemaField Field(string json) => Schema($$"""{"fields": [{{json}}]}""").Fields.Single();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
