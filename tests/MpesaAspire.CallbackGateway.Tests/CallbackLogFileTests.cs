using MpesaAspire.CallbackGateway.Logging;
using Serilog.Events;
using Serilog.Parsing;

namespace MpesaAspire.CallbackGateway.Tests;

public sealed class CallbackLogFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mpesa-log-").FullName;

    [Theory]
    [InlineData(LogEventLevel.Information, "INFO")]
    [InlineData(LogEventLevel.Warning, "WARNING")]
    [InlineData(LogEventLevel.Error, "ERROR")]
    [InlineData(LogEventLevel.Fatal, "CRITICAL")]
    [InlineData(LogEventLevel.Debug, "DEBUG")]
    public void ALineReadsLikeTheProductDocumentsLog(LogEventLevel level, string levelName)
    {
        using var output = new StringWriter();

        CallbackLogFormat.Create().Format(
            Event(level, "Processing transaction {CheckoutRequestId} - Result: {ResultCode} ({ResultStatus})",
                ("CheckoutRequestId", "ws_CO_191220191020363925"), ("ResultCode", "0"), ("ResultStatus", "Success")),
            output);

        Assert.Equal(
            $"2024-01-15 10:30:15,123 - MpesaAspire.CallbackGateway.Callbacks.StkCallbackIntake - {levelName} - "
            + "Processing transaction ws_CO_191220191020363925 - Result: 0 (Success)\n",
            output.ToString());
    }

    [Fact]
    public void TheCurrentFileKeepsItsNameWhenItRollsOver()
    {
        var path = Path.Combine(_directory, "mpesa_callbacks.log");
        using (var sink = new RotatingFileSink(path, fileSizeLimitBytes: 300, retainedFileCountLimit: 3, CallbackLogFormat.Create()))
        {
            for (var i = 1; i <= 12; i++)
            {
                sink.Emit(Event(LogEventLevel.Information, "Transaction {CheckoutRequestId} updated successfully", ("CheckoutRequestId", $"ws_CO_{i:D4}")));
            }
        }

        Assert.Equal(
            ["mpesa_callbacks.log", "mpesa_callbacks.log.1", "mpesa_callbacks.log.2"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
        Assert.EndsWith("Transaction ws_CO_0012 updated successfully\n", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.DoesNotContain("ws_CO_0012", File.ReadAllText(path + ".1"), StringComparison.Ordinal);
    }

    [Fact]
    public void AnExistingFileIsAppendedTo()
    {
        var path = Path.Combine(_directory, "mpesa_callbacks.log");
        File.WriteAllText(path, "earlier line\n");

        using (var sink = new RotatingFileSink(path, 1024 * 1024, 2, CallbackLogFormat.Create()))
        {
            sink.Emit(Event(LogEventLevel.Information, "Admin notification sent for transaction {CheckoutRequestId}", ("CheckoutRequestId", "ws_CO_1")));
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal("earlier line", lines[0]);
        Assert.EndsWith(" - INFO - Admin notification sent for transaction ws_CO_1", lines[1], StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static LogEvent Event(LogEventLevel level, string template, params (string Name, string Value)[] properties) => new(
        new DateTimeOffset(2024, 1, 15, 10, 30, 15, 123, TimeSpan.FromHours(3)),
        level,
        exception: null,
        new MessageTemplateParser().Parse(template),
        [
            new LogEventProperty("SourceContext", new ScalarValue("MpesaAspire.CallbackGateway.Callbacks.StkCallbackIntake")),
            .. properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))),
        ]);
}
