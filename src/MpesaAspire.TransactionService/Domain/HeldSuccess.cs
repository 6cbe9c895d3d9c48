using System.Text.Json;

namespace MpesaAspire.TransactionService.Domain;

/// <summary>
/// A success callback kept on its payment (<c>transactions.held_success</c>, JSON) until STK Push Query
/// confirms or refutes it. Its raw body stays in the inbox only; <see cref="PayloadSha256"/> finds it there.
/// </summary>
/// <param name="Callback">The callback as parsed, without its raw body.</param>
/// <param name="PayloadSha256">The inbox key of its raw body.</param>
public sealed record HeldSuccess(StkCallback Callback, string PayloadSha256)
{
    public static HeldSuccess From(StkCallback callback, string payloadSha256) => new(callback with { RawPayload = "" }, payloadSha256);

    public static HeldSuccess? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<HeldSuccess>(json);

    public string ToJson() => JsonSerializer.Serialize(this);
}
