namespace MpesaAspire.TestSupport;

/// <summary>The Daraja sample payloads under <c>tests/Fixtures/daraja</c>, copied to the test output.</summary>
public static class DarajaFixtures
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "daraja");

    /// <summary>Names (without extension) of every STK Push callback sample.</summary>
    public static IReadOnlyList<string> StkCallbackNames { get; } =
        [.. System.IO.Directory.GetFiles(Path.Combine(Directory, "stk"), "*.json").Select(Path.GetFileNameWithoutExtension).Order()!];

    public static string ReadStk(string name) => File.ReadAllText(Path.Combine(Directory, "stk", name + ".json"));

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    /// <summary>A sample with its CheckoutRequestID replaced, so every test owns its transaction.</summary>
    public static string ReadStkWithCheckoutId(string name, string checkoutRequestId)
    {
        var json = ReadStk(name);
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node["Body"]!["stkCallback"]!["CheckoutRequestID"] = checkoutRequestId;
        return node.ToJsonString();
    }
}
