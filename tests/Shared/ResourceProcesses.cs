using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace MpesaAspire.TestSupport;

/// <summary>
/// Crashes of the AppHost's resources, for the end-to-end tests and the fault suite. A linked source
/// file (as eShop shares code between its test projects) rather than part of TestSupport, which the
/// unit test projects reference without Aspire.
/// </summary>
internal static class ResourceProcesses
{
    /// <summary>
    /// SIGKILL to the resource's process and everything it started (a project runs under a launcher),
    /// as a crash or the kernel's OOM killer would: no shutdown code runs. Returns once the
    /// orchestrator sees it gone.
    /// </summary>
    public static async Task KillAsync(DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(resource, out var state))
        {
            throw new InvalidOperationException($"No state for {resource}.");
        }

        var pidProperty = state.Snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.OrdinalIgnoreCase));
        var pid = pidProperty?.Value is { } value ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : 0;
        if (pid <= 0)
        {
            throw new InvalidOperationException($"{resource} shows no process id.");
        }

        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await WaitForStoppedAsync(app, resource, cancellationToken);
    }

    /// <summary>Waits until the orchestrator reports the resource stopped (or lost track of it).</summary>
    public static Task WaitForStoppedAsync(DistributedApplication app, string resource, CancellationToken cancellationToken) =>
        app.ResourceNotifications.WaitForResourceAsync(
            resource,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text) || e.Snapshot.State?.Text == "Unknown",
            cancellationToken);
}
