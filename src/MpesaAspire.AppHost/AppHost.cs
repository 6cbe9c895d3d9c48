using Microsoft.Extensions.Configuration;
using MpesaAspire.AppHost;
using MpesaAspire.AppHost.MySql;

// The MpesaAspire system: Safaricom → callback-gateway → transaction-service (MySQL, outbox)
//                                 notification-service ← outbox → Telegram.
var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure and data: an external MySQL when configured, else one the AppHost runs itself.
IResourceBuilder<IResourceWithConnectionString> mpesadb;
try
{
    mpesadb = builder.AddMySqlDatabase("mysql", "mpesadb");
}
catch (MySqlUnavailableException unavailable)
{
    await Console.Error.WriteLineAsync(unavailable.Message);
    return 1;
}

// The credential every gRPC call between the services carries.
var internalApiToken = builder.AddInternalApiToken();

// Services, in dependency order.
var transactionService = builder.AddProject<Projects.MpesaAspire_TransactionService>("transaction-service")
    .WithReference(mpesadb)
    .WaitFor(mpesadb)
    .WithInternalApiToken(internalApiToken)
    .WithDarajaSettings()
    .WithPaymentSettings()
    .WithReconcileCommand(internalApiToken)
    .WithConfirmPaymentCommands(internalApiToken)
    .WithHttpHealthCheck("/health", endpointName: "http");

// Instances of the two services that may run several (NotificationService:Replicas, CallbackGateway:Replicas).
var notificationReplicas = builder.Configuration.GetValue("NotificationService:Replicas", 1);
var gatewayReplicas = builder.Configuration.GetValue("CallbackGateway:Replicas", 1);

// Delivers the outbox: leases from transaction-service, sends to Telegram, reports each outcome. With
// replicas, one instance (the holder of the sender lease in MySQL) sends; the others stand by.
var notificationService = builder.AddProject<Projects.MpesaAspire_NotificationService>("notification-service")
    .WithReplicas(notificationReplicas)
    .WithTelegramSettings()
    .WithInternalApiToken(internalApiToken)
    .WithReference(transactionService)
    .WaitFor(transactionService)
    .WithHttpHealthCheck("/health", endpointName: "http")
    .WithOutboxCommands(transactionService, internalApiToken);

// The gateway does not wait for its peers: it takes callbacks whenever its process runs, keeping
// them in its own spool until the transaction service can record them. Replicas share the public
// port (the AppHost's proxy spreads connections over them) and the spool file (SQLite, WAL).
var gatewayPort = builder.Configuration.GetValue("CallbackGateway:Port", 8000);
builder.AddProject<Projects.MpesaAspire_CallbackGateway>("callback-gateway")
    .WithReplicas(gatewayReplicas)
    .WithHttpEndpoint(port: gatewayPort, name: "http")
    .WithExternalHttpEndpoints()
    .WithInternalApiToken(internalApiToken)
    .WithCallbackSecurity()
    .WithReference(transactionService)
    .WithReference(notificationService)
    .WithCallbackSpool()
    .WithHttpHealthCheck("/health");

await builder.Build().RunAsync();
return 0;
