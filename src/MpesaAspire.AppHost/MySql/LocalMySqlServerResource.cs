namespace MpesaAspire.AppHost.MySql;

/// <summary>
/// A MariaDB (or MySQL) server binary found on this machine, run by the AppHost as an executable
/// with its data directory kept between runs.
/// </summary>
internal sealed class LocalMySqlServerResource(string name, LocalMySqlInstallation installation, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, installation.ServerPath, dataDirectory), IMySqlServerResource
{
    public LocalMySqlInstallation Installation { get; } = installation;

    public string DataDirectory { get; } = dataDirectory;

    public EndpointReference PrimaryEndpoint => field ??= new EndpointReference(this, MySqlServerConnectionString.EndpointName);

    public string UserName => "mpesa";

    public ParameterResource PasswordParameter { get; } = password;

    public ReferenceExpression ConnectionStringExpression => MySqlServerConnectionString.For(this);
}
