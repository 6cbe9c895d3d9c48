using System.Diagnostics;

namespace MpesaAspire.AppHost.MySql;

/// <summary>
/// The MySQL-compatible server programs found on this machine: Debian's mariadb-server
/// (mariadbd + mariadb-install-db) or an Oracle MySQL (mysqld --initialize-insecure).
/// </summary>
internal sealed record LocalMySqlInstallation(string ServerPath, string? InstallDbPath)
{
    private static readonly string[] SearchDirectories = ["/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/usr/bin", "/usr/local/bin"];

    public bool IsMariaDb => InstallDbPath is not null;

    /// <summary>Arguments that run the server as root when the AppHost runs as root (mariadbd refuses otherwise).</summary>
    public static IEnumerable<string> UserArguments =>
        Environment.UserName == "root" ? ["--user=root"] : [];

    public static LocalMySqlInstallation? Find()
    {
        if (FindProgram("mariadbd") is { } mariadbd)
        {
            return new LocalMySqlInstallation(mariadbd, FindProgram("mariadb-install-db") ?? FindProgram("mysql_install_db"));
        }

        if (FindProgram("mysqld") is { } mysqld)
        {
            // Debian's mysqld is MariaDB under its old name: it ships mariadb-install-db too.
            return new LocalMySqlInstallation(mysqld, FindProgram("mariadb-install-db") ?? FindProgram("mysql_install_db"));
        }

        return null;
    }

    /// <summary>Creates the system tables in an empty data directory (about a second).</summary>
    public async Task InitializeDataDirectoryAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        List<string> arguments = InstallDbPath is not null
            ? ["--no-defaults", .. UserArguments, $"--datadir={dataDirectory}", "--skip-test-db", "--auth-root-authentication-method=socket"]
            : ["--no-defaults", .. UserArguments, "--initialize-insecure", $"--datadir={dataDirectory}"];

        var startInfo = new ProcessStartInfo(InstallDbPath ?? ServerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(startInfo.FileName)} failed ({process.ExitCode}) to initialise {dataDirectory}: {await error}{await output}");
        }
    }

    public static bool IsDataDirectoryInitialized(string dataDirectory) =>
        Directory.Exists(Path.Combine(dataDirectory, "mysql"));

    private static string? FindProgram(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(SearchDirectories)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
