using MpesaAspire.TransactionService.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTransactionStore();
builder.AddTransactionsGrpc();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTransactionsGrpc();

app.Run();
