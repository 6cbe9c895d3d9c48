namespace MpesaAspire.CallbackGateway;

/// <summary>The product's <c>mpesa_callbacks.log</c> file (section <c>CallbackLog</c>).</summary>
public sealed class CallbackLogOptions
{
    public const string SectionName = "CallbackLog";

    /// <summary>The log file; a relative path is taken from the content root.</summary>
    public string Path { get; set; } = "mpesa_callbacks.log";

    /// <summary>
    /// Size at which the file rolls over. The current file always keeps its name (so
    /// <c>tail -f mpesa_callbacks.log</c> keeps working); older ones become <c>.1</c>, <c>.2</c>, ….
    /// </summary>
    public long FileSizeLimitBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>How many files are kept, the current one included.</summary>
    public int RetainedFileCountLimit { get; set; } = 10;
}
