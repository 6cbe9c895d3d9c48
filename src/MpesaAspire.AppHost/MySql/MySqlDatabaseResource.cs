namespace MpesaAspire.AppHost.MySql;

/// <summary>One database on a server the AppHost runs; its connection string names the database.</summary>
internal sealed class MySqlDatabaseResource(string name, string databaseName, IMySqlServerResource server)
    : Resource(name), IResourceWithParent<IMySqlServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public IMySqlServerResource Parent { get; } = server;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
