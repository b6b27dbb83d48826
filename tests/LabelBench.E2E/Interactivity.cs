using Microsoft.Playwright;

namespace LabelBench.E2E;

/// <summary>
/// Waits for Blazor Server to take over a prerendered element. Prerendered HTML looks finished but ignores clicks and
/// keys until the circuit has rendered it again and attached its handlers.
/// </summary>
public static class Interactivity
{
    private const float TimeoutMs = 30_000;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Until the element has Blazor's event handlers: blazor.web.js records them on the element in an own property
    /// named <c>_blazorEvents_N</c>, set only by the interactive renderer.
    /// </summary>
    public static Task WaitUntilInteractiveAsync(this ILocator element) =>
        WaitForAsync(element, "el => Object.getOwnPropertyNames(el).some(k => k.startsWith('_blazorEvents_'))", "has no Blazor event handlers (the circuit did not attach)");

    /// <summary>Until Blazor's <c>InputFile</c> has wired the file input (before that, chosen files are silently ignored).</summary>
    public static Task WaitUntilFileInputReadyAsync(this ILocator input) =>
        WaitForAsync(input, "el => el._blazorInputFileNextFileId !== undefined", "was never initialised by Blazor's InputFile");

    private static async Task WaitForAsync(ILocator element, string check, string failure)
    {
        await element.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = TimeoutMs });
        var deadline = DateTime.UtcNow.AddMilliseconds(TimeoutMs);
        while (true)
        {
            // Evaluated anew each time: the circuit replaces the prerendered element with its own, possibly mid-check.
            try
            {
                if (await element.EvaluateAsync<bool>(check, null, new() { Timeout = TimeoutMs }))
                {
                    return;
                }
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // Detached while being checked: look again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{element} {failure} within {TimeoutMs} ms.");
            }

            await Task.Delay(Poll);
        }
    }
}
