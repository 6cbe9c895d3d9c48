using System.Buffers;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>
/// Reads a callback request's body itself, with a size limit, so that nothing the sender can do
/// (wrong content type, a huge or truncated body, bytes that are not UTF-8) turns into a 5xx.
/// </summary>
public static class CallbackBodyReader
{
    private const int ChunkSize = 8 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<CallbackBody> ReadAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            var sent = string.IsNullOrWhiteSpace(request.ContentType) ? "no Content-Type" : $"Content-Type '{request.ContentType}'";
            return Reject(CallbackRejectionReason.UnsupportedMediaType, $"An STK Push callback must be sent as application/json, not with {sent}.");
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return TooLarge(maxBodyBytes);
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var body = new MemoryStream();
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                if (body.Length + read > maxBodyBytes)
                {
                    return TooLarge(maxBodyBytes);
                }

                body.Write(chunk, 0, read);
            }

            return Decode(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBodyBytes);
        }
        catch (BadHttpRequestException ex)
        {
            return Reject(CallbackRejectionReason.UnreadableBody, $"The request body could not be read: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>application/json, or any +json type (application/problem+json…); parameters such as charset are ignored.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.MediaType.HasValue)
        {
            return false;
        }

        var type = mediaType.MediaType.Value;
        return string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static CallbackBody Decode(ReadOnlySpan<byte> bytes)
    {
        // A byte-order mark is not part of the payload.
        var preamble = StrictUtf8.Preamble;
        if (bytes.StartsWith(preamble))
        {
            bytes = bytes[preamble.Length..];
        }

        try
        {
            return new CallbackBody(StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return Reject(CallbackRejectionReason.InvalidEncoding, "The request body is not valid UTF-8 JSON.");
        }
    }

    private static CallbackBody TooLarge(int maxBodyBytes) =>
        Reject(CallbackRejectionReason.PayloadTooLarge, $"The request body is larger than {maxBodyBytes} bytes; an STK Push callback is far smaller.");

    private static CallbackBody Reject(CallbackRejectionReason reason, string detail) => new(null, new CallbackRejection(reason, detail));
}
