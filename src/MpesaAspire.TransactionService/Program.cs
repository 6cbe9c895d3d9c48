using MpesaAspire.TransactionService.Extensions;
using MpesaAspire.TransactionService.Reconciliation;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTransactionStore();
builder.AddTransactionsGrpc();
builder.AddDaraja();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTransactionsGrpc();
app.MapReconciliationApi();

app.Run();
