using MpesaAspire.NotificationService;
using MpesaAspire.NotificationService.Grpc;
using MpesaAspire.ServiceDefaults.InternalApi;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddTelegramNotifications();
builder.Services.AddOutboxDelivery();
builder.Services.AddGrpc(options => options.Interceptors.Add<InternalApiServerInterceptor>());
builder.Services.AddGrpcHealthChecks();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<NotificationsGrpcService>();
app.MapGrpcHealthChecksService();

app.Run();
