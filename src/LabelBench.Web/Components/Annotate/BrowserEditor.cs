using Microsoft.JSInterop;

namespace LabelBench.Web.Components.Annotate;

/// <summary>
/// A browser editor module attached to an element: imports the module, calls its <c>attach</c>, and forwards calls to
/// the handle it returns; a gone circuit is not an error. Shared by the image and audio editors.
/// </summary>
internal sealed class BrowserEditor : IAsyncDisposable
{
    private readonly IJSObjectReference module;
    private readonly IJSObjectReference? handle;

    private BrowserEditor(IJSObjectReference module, IJSObjectReference? handle) => (this.module, this.handle) = (module, handle);

    /// <summary>Whether the module returned a handle to call (false only where JS interop is simulated).</summary>
    public bool Attached => handle is not null;

    /// <summary>Imports <paramref name="modulePath"/> and calls its <c>attach(...args)</c>; null when the module is not there.</summary>
    public static async Task<BrowserEditor?> AttachAsync(IJSRuntime js, string modulePath, params object?[] args)
    {
        var module = await js.InvokeAsync<IJSObjectReference>("import", modulePath);
        return module is null ? null : new BrowserEditor(module, await module.InvokeAsync<IJSObjectReference>("attach", args));
    }

    public async Task CallAsync(string method, params object?[] args)
    {
        if (handle is null)
        {
            return;
        }

        try
        {
            await handle.InvokeVoidAsync(method, args);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (handle is not null)
            {
                await handle.InvokeVoidAsync("dispose");
                await handle.DisposeAsync();
            }

            await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone, and the module with it.
        }
    }
}
