namespace MpesaAspire.TestSupport;

/// <summary>How a push to the fake Daraja ends: result code, whether the callback comes, and when.</summary>
/// <param name="ResultCode">The result code, as the callback (number) and the query (string) carry it.</param>
/// <param name="ResultDesc">Its description.</param>
/// <param name="Callback">Whether the callback is posted.</param>
/// <param name="CompletesAfter">
/// How long after the push the customer answers: until then STK Push Query says "being processed".
/// </param>
public sealed record FakeStkScenario(string ResultCode, string ResultDesc, FakeCallbackMode Callback, TimeSpan CompletesAfter)
{
    public static FakeStkScenario Success { get; } =
        new("0", "The service request is processed successfully.", FakeCallbackMode.Send, TimeSpan.FromSeconds(1));

    public static FakeStkScenario Cancelled { get; } =
        new("1032", "Request cancelled by user", FakeCallbackMode.Send, TimeSpan.FromSeconds(1));

    public static FakeStkScenario Timeout { get; } =
        new("1037", "DS timeout user cannot be reached", FakeCallbackMode.Send, TimeSpan.FromSeconds(1));

    public static FakeStkScenario SuccessWithoutCallback { get; } = Success with { Callback = FakeCallbackMode.Never };

    public static FakeStkScenario SuccessSentTwice { get; } = Success with { Callback = FakeCallbackMode.Twice };

    public bool IsSuccess => ResultCode == "0";
}
