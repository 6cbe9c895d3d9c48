namespace MpesaAspire.AppHost.MySql;

/// <summary>The MySqlConnector connection string of a server the AppHost runs.</summary>
internal static class MySqlServerConnectionString
{
    public const string EndpointName = "tcp";

    public static ReferenceExpression For(IMySqlServerResource server) =>
        ReferenceExpression.Create(
            $"Server={server.PrimaryEndpoint.Property(EndpointProperty.Host)};Port={server.PrimaryEndpoint.Property(EndpointProperty.Port)};User ID={server.UserName};Password={server.PasswordParameter}");
}
