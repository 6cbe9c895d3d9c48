using MpesaAspire.TransactionService.Domain;

namespace MpesaAspire.TransactionService;

/// <summary>
/// When a success callback counts as paid, section <c>Payments</c>. Without a setting the mode is
/// <c>query</c> when Daraja is configured, else <c>none</c>.
/// </summary>
public sealed class PaymentsOptions
{
    public const string SectionName = "Payments";

    /// <summary><c>none</c>, <c>registered</c> or <c>query</c>; null until the default is filled in from Daraja's settings.</summary>
    public PaymentVerification? Verification { get; set; }

    /// <summary>
    /// In <c>query</c> mode: how long a held success may stay unconfirmed (Daraja still "processing",
    /// unreachable, 429) before it is recorded Unverified. The queries go on after that.
    /// </summary>
    public TimeSpan VerificationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The mode in force (<see cref="Verification"/> once the default is applied).</summary>
    public PaymentVerification Mode => Verification ?? PaymentVerification.None;
}
