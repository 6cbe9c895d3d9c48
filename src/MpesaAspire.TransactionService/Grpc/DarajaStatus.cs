using System.Net;
using Grpc.Core;
using MpesaAspire.TransactionService.Daraja;

namespace MpesaAspire.TransactionService.Grpc;

/// <summary>
/// Turns what Daraja said into a gRPC status a caller can act on, keeping Daraja's error code and
/// request id in the trailers (<c>daraja-error-code</c>, <c>daraja-request-id</c>) and its message
/// in the detail.
/// </summary>
public static class DarajaStatus
{
    public const string ErrorCodeTrailer = "daraja-error-code";
    public const string RequestIdTrailer = "daraja-request-id";

    public static RpcException ToRpcException(DarajaException exception)
    {
        var code = exception switch
        {
            { Answered: false } => StatusCode.Unavailable,
            { RefusedCredentials: true } => StatusCode.FailedPrecondition,
            { StatusCode: HttpStatusCode.TooManyRequests } => StatusCode.ResourceExhausted,
            { ErrorCode: "500.003.02" or "500.003.03" } => StatusCode.ResourceExhausted,
            // Wrong credentials, unknown merchant, invalid token after a refresh: the operator must act.
            { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } => StatusCode.FailedPrecondition,
            { ErrorCode: DarajaException.InvalidTokenCode } => StatusCode.FailedPrecondition,
            { ErrorCode: DarajaException.StillProcessingCode } => StatusCode.FailedPrecondition,
            { StatusCode: HttpStatusCode.OK } => StatusCode.FailedPrecondition,
            { StatusCode: { } status } when (int)status is >= 400 and < 500 => StatusCode.InvalidArgument,
            _ => StatusCode.Unavailable,
        };

        var trailers = new Metadata();
        if (!string.IsNullOrEmpty(exception.ErrorCode))
        {
            trailers.Add(ErrorCodeTrailer, exception.ErrorCode);
        }

        if (!string.IsNullOrEmpty(exception.RequestId))
        {
            trailers.Add(RequestIdTrailer, exception.RequestId);
        }

        return new RpcException(new Status(code, exception.Message), trailers);
    }
}
