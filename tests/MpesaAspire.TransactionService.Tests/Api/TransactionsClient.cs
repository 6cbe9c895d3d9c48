using Google.Protobuf;
using Grpc.Core;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.TransactionService.Tests.Api;

/// <summary>
/// A client of the <c>Transactions</c> service built from the message types the service assembly already
/// compiled (compiling the proto a second time here would clash with them).
/// </summary>
public sealed class TransactionsClient(CallInvoker invoker)
{
    private const string ServiceName = "mpesa.transactions.v1.Transactions";

    public Task<RecordStkCallbackResponse> RecordStkCallbackAsync(RecordStkCallbackRequest request) =>
        CallAsync<RecordStkCallbackRequest, RecordStkCallbackResponse>("RecordStkCallback", request);

    public Task<RegisterPendingTransactionResponse> RegisterPendingTransactionAsync(RegisterPendingTransactionRequest request) =>
        CallAsync<RegisterPendingTransactionRequest, RegisterPendingTransactionResponse>("RegisterPendingTransaction", request);

    public Task<GetTransactionResponse> GetTransactionAsync(GetTransactionRequest request) =>
        CallAsync<GetTransactionRequest, GetTransactionResponse>("GetTransaction", request);

    public Task<ListTransactionsResponse> ListTransactionsAsync(ListTransactionsRequest request) =>
        CallAsync<ListTransactionsRequest, ListTransactionsResponse>("ListTransactions", request);

    public Task<RegisterUserResponse> RegisterUserAsync(RegisterUserRequest request) =>
        CallAsync<RegisterUserRequest, RegisterUserResponse>("RegisterUser", request);

    public Task<LeasePendingNotificationsResponse> LeasePendingNotificationsAsync(LeasePendingNotificationsRequest request) =>
        CallAsync<LeasePendingNotificationsRequest, LeasePendingNotificationsResponse>("LeasePendingNotifications", request);

    public Task<CompleteNotificationResponse> CompleteNotificationAsync(CompleteNotificationRequest request) =>
        CallAsync<CompleteNotificationRequest, CompleteNotificationResponse>("CompleteNotification", request);

    public Task<CheckDatabaseResponse> CheckDatabaseAsync() =>
        CallAsync<CheckDatabaseRequest, CheckDatabaseResponse>("CheckDatabase", new CheckDatabaseRequest());

    public Task<InitiateStkPushResponse> InitiateStkPushAsync(InitiateStkPushRequest request) =>
        CallAsync<InitiateStkPushRequest, InitiateStkPushResponse>("InitiateStkPush", request);

    private async Task<TResponse> CallAsync<TRequest, TResponse>(string name, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, ServiceName, name, Marshaller<TRequest>(), Marshaller<TResponse>());
        return await invoker.AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddMinutes(1)), request);
    }

    private static Marshaller<T> Marshaller<T>()
        where T : class, IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        return Marshallers.Create(message => message.ToByteArray(), parser.ParseFrom);
    }
}
