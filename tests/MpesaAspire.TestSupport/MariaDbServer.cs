using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MySqlConnector;

namespace MpesaAspire.TestSupport;

/// <summary>
/// A throw-away MariaDB server for one test run: its own data directory under the temp folder, its
/// own port on 127.0.0.1, an application user created by an init file (grant tables stay on). Start
/// it once per run (collection fixture) and give each test class its own database.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    public const string UserName = "mpesa_test";
    public const string Password = "mpesa-test-password";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output;

    private MariaDbServer(Process process, string directory, int port, StringBuilder output)
    {
        _process = process;
        _directory = directory;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Server version, as <c>SELECT VERSION()</c> reports it.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Installs a fresh data directory, starts <c>mariadbd</c> and waits until the application user can log in.</summary>
    public static async Task<MariaDbServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var mariadbd = MariaDbBinaries.Find("mariadbd", "mysqld");
        var installDb = MariaDbBinaries.Find("mariadb-install-db", "mysql_install_db");

        // Short path: the unix socket path must stay under 108 bytes.
        var directory = Path.Combine(Path.GetTempPath(), "mdb-" + Guid.NewGuid().ToString("N")[..12]);
        var dataDirectory = Path.Combine(directory, "data");
        Directory.CreateDirectory(dataDirectory);

        try
        {
            var runAsRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
            List<string> installArguments = ["--no-defaults"];
            if (runAsRoot)
            {
                installArguments.Add("--user=root");
            }

            installArguments.AddRange(
            [
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                $"--datadir={dataDirectory}",
            ]);
            await MariaDbBinaries.RunToCompletionAsync(installDb, installArguments, cancellationToken);

            var initFile = Path.Combine(directory, "init.sql");
            await File.WriteAllTextAsync(initFile, $"""
                CREATE USER IF NOT EXISTS '{UserName}'@'127.0.0.1' IDENTIFIED BY '{Password}';
                CREATE USER IF NOT EXISTS '{UserName}'@'localhost' IDENTIFIED BY '{Password}';
                GRANT ALL PRIVILEGES ON *.* TO '{UserName}'@'127.0.0.1' WITH GRANT OPTION;
                GRANT ALL PRIVILEGES ON *.* TO '{UserName}'@'localhost' WITH GRANT OPTION;
                FLUSH PRIVILEGES;

                """, cancellationToken);

            var port = FreeTcpPort();
            List<string> serverArguments = ["--no-defaults"];
            if (runAsRoot)
            {
                serverArguments.Add("--user=root");
            }

            serverArguments.AddRange(
            [
                $"--datadir={dataDirectory}",
                $"--socket={Path.Combine(directory, "mariadb.sock")}",
                $"--pid-file={Path.Combine(directory, "mariadb.pid")}",
                "--bind-address=127.0.0.1",
                $"--port={port}",
                $"--init-file={initFile}",
                "--skip-name-resolve",
                "--max-connections=1000",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                // A throw-away server: durability on power loss is not what the tests are about.
                "--innodb-flush-log-at-trx-commit=2",
                "--innodb-buffer-pool-size=128M",
            ]);

            var output = new StringBuilder();
            var process = MariaDbBinaries.StartBackground(mariadbd, serverArguments, output);
            var server = new MariaDbServer(process, directory, port, output);
            try
            {
                await server.WaitUntilReadyAsync(cancellationToken);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return server;
        }
        catch
        {
            // The install or the start failed: leave nothing behind.
            TryDeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>A MySqlConnector connection string for <paramref name="database"/> (none selected when null).</summary>
    public string ConnectionString(string? database = null)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)Port,
            UserID = UserName,
            Password = Password,
            SslMode = MySqlSslMode.None,
            AllowPublicKeyRetrieval = true,
            MaximumPoolSize = 250,
        };
        if (database is not null)
        {
            builder.Database = database;
        }

        return builder.ConnectionString;
    }

    /// <summary>Creates an empty utf8mb4 database with a fresh name starting with <paramref name="prefix"/> and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 64)];
        await CreateDatabaseNamedAsync(name, cancellationToken);
        return name;
    }

    /// <summary>Creates an empty utf8mb4 database called <paramref name="name"/> (letters, digits and underscores only).</summary>
    public async Task CreateDatabaseNamedAsync(string name, CancellationToken cancellationToken = default)
    {
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{name}' is not a plain database name (letters, digits, underscores; at most 64).", nameof(name));
        }

        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // The process is already gone.
        }
        catch (TimeoutException)
        {
            // Nothing more to do: the directory is removed below all the same.
        }

        _process.Dispose();
        MySqlConnection.ClearAllPools();
        TryDeleteDirectory(_directory);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        Exception? lastError = null;
        while (deadline.Elapsed < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"mariadbd exited with code {_process.ExitCode} before accepting connections. Its output:{Environment.NewLine}{ServerOutput()}");
            }

            try
            {
                // A real login, not a TCP probe: the init file has run once the application user exists.
                await using var connection = new MySqlConnection(ConnectionString() + ";Pooling=false;Connection Timeout=2");
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT VERSION()";
                Version = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
                return;
            }
            catch (MySqlException exception)
            {
                lastError = exception;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new TimeoutException(
            $"mariadbd on port {Port} did not accept a login within {StartTimeout.TotalSeconds:0} s (last error: {lastError?.Message}). Its output:{Environment.NewLine}{ServerOutput()}");
    }

    private string ServerOutput()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a test run for.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
