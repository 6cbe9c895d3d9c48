using System.Collections.Concurrent;
using Grpc.Core;
using MpesaAspire.Transactions.V1;

namespace MpesaAspire.CallbackGateway.Tests;

/// <summary>How the fake transaction service answers <c>RecordStkCallback</c>.</summary>
public enum TransactionServiceMode
{
    /// <summary>Down: every call fails with UNAVAILABLE, as when the process or MySQL is gone.</summary>
    Unreachable,

    /// <summary>Up: records callbacks idempotently, as the real one does.</summary>
    Recording,

    /// <summary>Up, but refuses every callback as invalid (INVALID_ARGUMENT); keeps refused bodies.</summary>
    Refusing,
}

/// <summary>
/// The transaction service's gRPC contract, answered in-process: the gateway's client calls land
/// here instead of on the network. Every other call fails as UNAVAILABLE.
/// </summary>
public sealed class InProcessTransactionService : CallInvoker
{
    private readonly ConcurrentQueue<RecordStkCallbackRequest> _recorded = new();
    private readonly ConcurrentQueue<KeepRejectedCallbackRequest> _keptRejected = new();

    public TransactionServiceMode Mode { get; set; } = TransactionServiceMode.Unreachable;

    /// <summary>Every callback recorded, in the order it arrived (repeats included).</summary>
    public IReadOnlyList<RecordStkCallbackRequest> Recorded => [.. _recorded];

    /// <summary>Refused bodies kept in the inbox, in the order they arrived.</summary>
    public IReadOnlyList<KeepRejectedCallbackRequest> KeptRejected => [.. _keptRejected];

    public int TimesRecorded(string checkoutRequestId) => Recorded.Count(r => r.CheckoutRequestId == checkoutRequestId);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var response = request switch
        {
            RecordStkCallbackRequest record when method.Name == "RecordStkCallback" => As<TResponse, RecordStkCallbackResponse>(Record(record)),
            KeepRejectedCallbackRequest rejected when method.Name == "KeepRejectedCallback" => As<TResponse, KeepRejectedCallbackResponse>(KeepRejected(rejected)),
            _ => Task.FromException<TResponse>(Unavailable()),
        };

        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private static async Task<TResponse> As<TResponse, TActual>(Task<TActual> response)
        where TActual : notnull => (TResponse)(object)await response;

    private Task<KeepRejectedCallbackResponse> KeepRejected(KeepRejectedCallbackRequest request)
    {
        if (Mode == TransactionServiceMode.Unreachable)
        {
            return Task.FromException<KeepRejectedCallbackResponse>(Unavailable());
        }

        _keptRejected.Enqueue(request);
        return Task.FromResult(new KeepRejectedCallbackResponse { InboxId = _keptRejected.Count });
    }

    private Task<RecordStkCallbackResponse> Record(RecordStkCallbackRequest request)
    {
        switch (Mode)
        {
            case TransactionServiceMode.Refusing:
                return Task.FromException<RecordStkCallbackResponse>(
                    new RpcException(new Status(StatusCode.InvalidArgument, "amount must be a positive number")));
            case TransactionServiceMode.Recording:
                var first = TimesRecorded(request.CheckoutRequestId) == 0;
                _recorded.Enqueue(request);
                return Task.FromResult(new RecordStkCallbackResponse
                {
                    Outcome = first ? RecordOutcome.Applied : RecordOutcome.Duplicate,
                });
            default:
                return Task.FromException<RecordStkCallbackResponse>(Unavailable());
        }
    }

    private static RpcException Unavailable() => new(new Status(StatusCode.Unavailable, "connection refused (transaction service is down)"));
}
