using System.Buffers;
using System.Text;

namespace MpesaAspire.CallbackGateway.Callbacks;

/// <summary>
/// Reads a callback request's body itself, with a size limit, so that nothing the sender can do
/// (a huge or truncated body, bytes that are not UTF-8) turns into a 5xx. The Content-Type is not
/// looked at: a body that parses as an STK callback is taken however it was labelled (missing,
/// text/plain, a charset parameter), since losing a payment over a header helps nobody.
/// </summary>
public static class CallbackBodyReader
{
    private const int ChunkSize = 8 * 1024;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<CallbackBody> ReadAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
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

    private static CallbackBody Decode(ReadOnlySpan<byte> bytes)
    {
        // A byte-order mark is not part of the payload. (StrictUtf8.Preamble is empty: the
        // encoding is built not to emit one, so the mark is spelled out.)
        if (bytes.StartsWith(Utf8ByteOrderMark))
        {
            bytes = bytes[Utf8ByteOrderMark.Length..];
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
