using MpesaAspire.CallbackGateway.Apis;
using MpesaAspire.CallbackGateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCallbackProtection();

app.MapDefaultEndpoints(mapHealth: false);
app.MapApiDocs();
app.MapServiceInfoApi();
app.MapHealthApi();
app.MapCallbackApi();
app.MapOperatorApi();

app.Run();
