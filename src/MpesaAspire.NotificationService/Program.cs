using MpesaAspire.NotificationService;
using MpesaAspire.NotificationService.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddTelegramNotifications();
builder.Services.AddOutboxDelivery();
builder.Services.AddGrpc();
builder.Services.AddGrpcHealthChecks();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcService<NotificationsGrpcService>();
app.MapGrpcHealthChecksService();

app.Run();
