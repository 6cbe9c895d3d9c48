using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace MpesaAspire.AppHost.MySql;

/// <summary>
/// Provides the system's MySQL database, in this order of preference: an external server named by
/// <c>ConnectionStrings:{database}</c>; a MySQL container when a container runtime answers; a local
/// mariadbd/mysqld run as an executable with a persistent data directory.
/// </summary>
internal static class MySqlHostingExtensions
{
    /// <summary>Configuration key of the data directory of the local server (default: <c>.mariadb/data</c> beside the AppHost).</summary>
    public const string DataDirectoryKey = "MySql:DataDirectory";

    /// <summary>Configuration key that forces a provider: <c>auto</c> (default), <c>container</c> or <c>local</c>.</summary>
    public const string ProviderKey = "MySql:Provider";

    private const string ContainerImage = "mysql";
    private const string ContainerImageTag = "8.4";

    public static IResourceBuilder<IResourceWithConnectionString> AddMySqlDatabase(
        this IDistributedApplicationBuilder builder, string serverName, string databaseName)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(databaseName)))
        {
            return builder.AddConnectionString(databaseName);
        }

        var provider = builder.Configuration[ProviderKey]?.Trim().ToLowerInvariant() ?? "auto";
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(
            builder, $"{serverName}-password", special: false);

        IResourceBuilder<IMySqlServerResource> server = provider switch
        {
            "container" => builder.AddContainerServer(serverName, password),
            "local" => builder.AddLocalServer(serverName, databaseName, password)
                ?? throw Unavailable(databaseName, "MySql:Provider is 'local' but no mariadbd or mysqld is installed."),
            "auto" => ContainerRuntime.IsAvailable()
                ? builder.AddContainerServer(serverName, password)
                : builder.AddLocalServer(serverName, databaseName, password) ?? throw Unavailable(databaseName, null),
            _ => throw new MySqlUnavailableException(
                $"{ProviderKey} is '{provider}': use 'auto', 'container' or 'local'."),
        };

        var database = new MySqlDatabaseResource(databaseName, databaseName, server.Resource);

        // Ready means a real login, the database created, and a query answered: the orchestrator's
        // proxy accepts TCP before the server listens.
        var healthCheckKey = $"{serverName}_login";
        var loginCheck = new MySqlLoginHealthCheck(server.Resource, databaseName);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => loginCheck, failureStatus: HealthStatus.Unhealthy, tags: null));
        server.WithHealthCheck(healthCheckKey);

        // The orchestrator gives no state to the child of an executable: the database is running
        // (and so ready for those that wait for it) once its server is.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = TimeProvider.System.GetUtcNow().UtcDateTime,
            }));

        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "MySqlDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("database", databaseName)],
            });
    }

    private static MySqlUnavailableException Unavailable(string databaseName, string? reason) => new(
        (reason ?? "No MySQL server is available: no connection string is configured, no container runtime answers, and neither mariadbd nor mysqld is installed.")
        + Environment.NewLine
        + "Do one of these, then start again:" + Environment.NewLine
        + "  - install MariaDB:  sudo apt-get install -y mariadb-server   (the AppHost runs it itself; ./mpesa run does this for you)" + Environment.NewLine
        + $"  - point at an existing server:  dotnet user-secrets --project src/MpesaAspire.AppHost set ConnectionStrings:{databaseName} \"Server=...;User ID=...;Password=...;Database=...\"" + Environment.NewLine
        + "  - start a container runtime (Docker or Podman).");

    private static IResourceBuilder<IMySqlServerResource> AddContainerServer(
        this IDistributedApplicationBuilder builder, string name, ParameterResource password)
    {
        var server = new ContainerMySqlServerResource(name, password);
        return builder.AddResource(server)
            .WithImage(ContainerImage, ContainerImageTag)
            .WithEndpoint(targetPort: 3306, name: MySqlServerConnectionString.EndpointName, scheme: "tcp")
            .WithEnvironment(context => context.EnvironmentVariables["MYSQL_ROOT_PASSWORD"] = password)
            .WithVolume("mpesa-aspire-mysql-data", "/var/lib/mysql")
            .WithLifetime(ContainerLifetime.Session);
    }

    private static IResourceBuilder<IMySqlServerResource>? AddLocalServer(
        this IDistributedApplicationBuilder builder, string name, string databaseName, ParameterResource password)
    {
        if (LocalMySqlInstallation.Find() is not { } installation)
        {
            return null;
        }

        var dataDirectory = Path.GetFullPath(
            builder.Configuration[DataDirectoryKey] is { Length: > 0 } configured
                ? configured
                : Path.Combine(builder.AppHostDirectory, ".mariadb", "data"));

        // Socket and pid file live in a short path of their own: a Unix socket path is limited to 108 bytes.
        var runDirectory = Path.Combine(Path.GetTempPath(), "mpesa-mysql-" + ShortHash(dataDirectory));
        var server = new LocalMySqlServerResource(name, installation, dataDirectory, password);
        var initFile = Path.Combine(runDirectory, "init.sql");

        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
        {
            Directory.CreateDirectory(runDirectory);
            if (!LocalMySqlInstallation.IsDataDirectoryInitialized(dataDirectory))
            {
                await installation.InitializeDataDirectoryAsync(dataDirectory, cancellationToken);
            }

            // Run at every start, so the account always has this run's password and the database exists.
            var secret = await password.GetValueAsync(cancellationToken) ?? string.Empty;
            await File.WriteAllTextAsync(initFile, InitScript(server.UserName, secret, databaseName), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(initFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        });

        var resourceBuilder = builder.AddResource(server)
            .WithEndpoint(name: MySqlServerConnectionString.EndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                // --no-defaults must come first: nothing from /etc/mysql may leak in.
                context.Args.Add("--no-defaults");
                foreach (var argument in LocalMySqlInstallation.UserArguments)
                {
                    context.Args.Add(argument);
                }

                context.Args.Add($"--datadir={dataDirectory}");
                context.Args.Add($"--socket={Path.Combine(runDirectory, "mysqld.sock")}");
                context.Args.Add($"--pid-file={Path.Combine(runDirectory, "mysqld.pid")}");
                context.Args.Add("--bind-address=127.0.0.1");
                context.Args.Add(ReferenceExpression.Create(
                    $"--port={server.PrimaryEndpoint.Property(EndpointProperty.TargetPort)}"));
                context.Args.Add($"--init-file={initFile}");
                context.Args.Add("--skip-name-resolve");
                context.Args.Add("--character-set-server=utf8mb4");
                context.Args.Add("--collation-server=utf8mb4_unicode_ci");
                context.Args.Add("--max-connections=500");
            });

        return resourceBuilder;
    }

    /// <summary>
    /// Creates the database and the application's account, limited to that database: the account can
    /// neither read nor create another schema, nor grant anything. A data directory made by an older
    /// version (whose account had every privilege on every database) is narrowed at the next start.
    /// </summary>
    private static string InitScript(string user, string password, string databaseName)
    {
        var quotedPassword = password.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        var database = new MySqlCommandBuilder().QuoteIdentifier(databaseName);
        var script = new StringBuilder();
        script.AppendLine($"CREATE DATABASE IF NOT EXISTS {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;");
        foreach (var host in new[] { "127.0.0.1", "::1", "localhost" })
        {
            script.AppendLine($"CREATE USER IF NOT EXISTS '{user}'@'{host}' IDENTIFIED BY '{quotedPassword}';");
            script.AppendLine($"ALTER USER '{user}'@'{host}' IDENTIFIED BY '{quotedPassword}';");
            script.AppendLine($"REVOKE ALL PRIVILEGES, GRANT OPTION FROM '{user}'@'{host}';");
            script.AppendLine($"GRANT ALL PRIVILEGES ON {database}.* TO '{user}'@'{host}';");
        }

        return script.ToString();
    }

    private static string ShortHash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..12];

    private sealed class MySqlLoginHealthCheck(IMySqlServerResource server, string databaseName) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
                await using var connection = new MySqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText =
                    $"CREATE DATABASE IF NOT EXISTS {new MySqlCommandBuilder().QuoteIdentifier(databaseName)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
                await command.ExecuteNonQueryAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is MySqlException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                return HealthCheckResult.Unhealthy(exception.Message);
            }
        }
    }
}
