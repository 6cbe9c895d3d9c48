using System.Diagnostics;
using System.Text;

namespace MpesaAspire.TestSupport;

/// <summary>Finds and runs the MariaDB server programs installed on the machine.</summary>
internal static class MariaDbBinaries
{
    private static readonly string[] WellKnownDirectories =
        ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/local/mysql/bin", "/usr/local/mysql/scripts"];

    /// <summary>The full path of the first of <paramref name="names"/> found on PATH or in the usual install folders.</summary>
    public static string Find(params string[] names)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(WellKnownDirectories);
        foreach (var name in names)
        {
            foreach (var directory in directories)
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            $"'{names[0]}' was not found on PATH nor in {string.Join(", ", WellKnownDirectories)}. "
            + "The data tests need a real MariaDB server: install it with `apt-get install -y mariadb-server`.");
    }

    public static async Task RunToCompletionAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        using var process = StartBackground(program, arguments, output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} exited with code {process.ExitCode}:{Environment.NewLine}{text}");
        }
    }

    /// <summary>Starts <paramref name="program"/>, collecting stdout and stderr into <paramref name="output"/> (lock it to read).</summary>
    public static Process StartBackground(string program, IEnumerable<string> arguments, StringBuilder output)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // Keep the tail only: a server that runs for a whole test run must not grow this forever.
            if (output.Length > 64 * 1024)
            {
                output.Remove(0, output.Length - (32 * 1024));
            }

            output.AppendLine(line);
        }
    }
}
