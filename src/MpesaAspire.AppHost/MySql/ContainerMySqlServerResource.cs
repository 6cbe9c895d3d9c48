namespace MpesaAspire.AppHost.MySql;

/// <summary>The official MySQL image, used when a container runtime is available.</summary>
internal sealed class ContainerMySqlServerResource(string name, ParameterResource password)
    : ContainerResource(name), IMySqlServerResource
{
    public EndpointReference PrimaryEndpoint => field ??= new EndpointReference(this, MySqlServerConnectionString.EndpointName);

    public string UserName => "root";

    public ParameterResource PasswordParameter { get; } = password;

    public ReferenceExpression ConnectionStringExpression => MySqlServerConnectionString.For(this);
}
