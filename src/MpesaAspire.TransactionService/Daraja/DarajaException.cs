using System.Net;

namespace MpesaAspire.TransactionService.Daraja;

/// <summary>
/// Daraja answered with an error (<c>{"requestId","errorCode","errorMessage"}</c>), or did not answer.
/// Keeps Daraja's own code and message so callers and operators see exactly what Safaricom said.
/// </summary>
public sealed class DarajaException : Exception
{
    public const string InvalidTokenCode = "404.001.03";
    public const string StillProcessingCode = "500.001.1001";

    public DarajaException(string message, HttpStatusCode? statusCode, string? errorCode, string? errorMessage, string? requestId, bool answered, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
        Answered = answered;
    }

    public DarajaException()
    {
    }

    public DarajaException(string message)
        : base(message)
    {
    }

    public DarajaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status; null when no answer came (timeout, connection refused).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Daraja's errorCode, e.g. <c>400.002.02</c>; null when the body was not Daraja's error JSON.</summary>
    public string? ErrorCode { get; }

    public string? ErrorMessage { get; }

    public string? RequestId { get; }

    /// <summary>True when Daraja answered (so it decided); false when the outcome is unknown.</summary>
    public bool Answered { get; }

    /// <summary>True when the OAuth endpoint refused the consumer key and secret: only the operator can fix that.</summary>
    public bool RefusedCredentials { get; init; }

    public bool IsInvalidToken => ErrorCode == InvalidTokenCode;

    /// <summary>
    /// STK Push Query's "still in progress": HTTP 500 with 500.001.1001 "The transaction is being
    /// processed". The same code means other things elsewhere, so the message is read too.
    /// </summary>
    public bool IsStillProcessing =>
        ErrorCode == StillProcessingCode && ErrorMessage?.Contains("being processed", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>429, 5xx or no answer: asking again later may work.</summary>
    public bool IsTransient => !Answered || StatusCode is HttpStatusCode.TooManyRequests || (int?)StatusCode >= 500;
}
