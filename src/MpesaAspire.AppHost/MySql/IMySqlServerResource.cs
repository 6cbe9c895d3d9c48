namespace MpesaAspire.AppHost.MySql;

/// <summary>A MySQL-compatible server the AppHost runs itself (a container or a local mariadbd/mysqld).</summary>
internal interface IMySqlServerResource : IResourceWithConnectionString
{
    /// <summary>The TCP endpoint clients connect to.</summary>
    EndpointReference PrimaryEndpoint { get; }

    /// <summary>The account the services log in with.</summary>
    string UserName { get; }

    ParameterResource PasswordParameter { get; }
}
