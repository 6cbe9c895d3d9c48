using Microsoft.Extensions.Options;
using MpesaAspire.CallbackGateway.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace MpesaAspire.CallbackGateway.Extensions;

/// <summary>Registers the product's <c>mpesa_callbacks.log</c> as an additional logging provider.</summary>
public static class CallbackLogLoggingBuilderExtensions
{
    /// <summary>The categories written to the file: the gateway's own, not the framework's.</summary>
    internal const string CategoryPrefix = "MpesaAspire.CallbackGateway";

    /// <summary>
    /// Adds a Serilog provider that writes the gateway's own log events (Information and above) to
    /// the file named by <c>CallbackLog:Path</c>, beside the console and OTLP providers.
    /// </summary>
    public static ILoggingBuilder AddCallbackLogFile(this ILoggingBuilder logging)
    {
        logging.Services.AddOptions<CallbackLogOptions>()
            .BindConfiguration(CallbackLogOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "CallbackLog:Path must name a file.")
            .Validate(o => o.FileSizeLimitBytes >= 1024, "CallbackLog:FileSizeLimitBytes must be at least 1024.")
            .Validate(o => o.RetainedFileCountLimit >= 1, "CallbackLog:RetainedFileCountLimit must be at least 1.")
            .ValidateOnStart();

        logging.Services.AddSingleton<ILoggerProvider>(services =>
        {
            var options = services.GetRequiredService<IOptions<CallbackLogOptions>>().Value;
            var environment = services.GetRequiredService<IHostEnvironment>();
            var path = System.IO.Path.Combine(environment.ContentRootPath, options.Path);

            var logger = new LoggerConfiguration()
                .MinimumLevel.Information()
                .WriteTo.Sink(new RotatingFileSink(path, options.FileSizeLimitBytes, options.RetainedFileCountLimit, CallbackLogFormat.Create()))
                .CreateLogger();

            return new SerilogLoggerProvider(logger, dispose: true);
        });

        logging.AddFilter<SerilogLoggerProvider>((category, level) =>
            level >= LogLevel.Information
            && category is not null
            && category.StartsWith(CategoryPrefix, StringComparison.Ordinal));

        return logging;
    }
}
