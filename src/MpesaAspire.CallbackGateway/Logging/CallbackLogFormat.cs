using Serilog.Formatting;
using Serilog.Templates;

namespace MpesaAspire.CallbackGateway.Logging;

/// <summary>
/// The product document's log line: <c>2024-01-15 10:30:15,123 - &lt;category&gt; - INFO - &lt;message&gt;</c>,
/// with Python's level names.
/// </summary>
internal static class CallbackLogFormat
{
    private const string Template =
        "{@t:yyyy-MM-dd HH:mm:ss,fff} - {SourceContext} - "
        + "{#if @l = 'Verbose'}DEBUG{#else if @l = 'Debug'}DEBUG{#else if @l = 'Information'}INFO"
        + "{#else if @l = 'Warning'}WARNING{#else if @l = 'Error'}ERROR{#else}CRITICAL{#end}"
        + " - {@m}\n{#if @x is not null}{@x}\n{#end}";

    public static ITextFormatter Create() => new ExpressionTemplate(Template, System.Globalization.CultureInfo.InvariantCulture);
}
