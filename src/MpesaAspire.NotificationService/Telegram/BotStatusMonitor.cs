using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace MpesaAspire.NotificationService.Telegram;

/// <summary>
/// Asks Telegram who the bot is (getMe) at start-up, in the background, then every
/// <see cref="TelegramOptions.StatusRefreshInterval"/> (sooner after a failure), and serves the
/// cached answer: a status request never calls Telegram.
/// </summary>
internal sealed class BotStatusMonitor : BackgroundService
{
    private static readonly TimeSpan FirstCheckWait = TimeSpan.FromSeconds(2);

    private readonly TelegramBotClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly IOptions<TelegramOptions> _options;
    private readonly ILogger<BotStatusMonitor> _logger;
    private readonly TaskCompletionSource _firstCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BotStatus _current;

    public BotStatusMonitor(TelegramBotClientFactory clients, TimeProvider time, IOptions<TelegramOptions> options, ILogger<BotStatusMonitor> logger)
    {
        _clients = clients;
        _time = time;
        _options = options;
        _logger = logger;
        _current = options.Value.IsDryRun ? BotStatus.NotConfigured : BotStatus.NotCheckedYet;
        if (options.Value.IsDryRun)
        {
            _firstCheck.TrySetResult();
        }
    }

    /// <summary>
    /// The last known status (never calls Telegram). A live bot without an admin chat is not healthy:
    /// admin messages wait in the outbox until <c>Telegram:AdminChatId</c> is set.
    /// </summary>
    public BotStatus Current => _options.Value is { IsDryRun: false, AdminChatId: null }
        ? Volatile.Read(ref _current).WithoutAdminChat()
        : Volatile.Read(ref _current);

    /// <summary>The cached status; right after start-up, waits briefly for the first check to finish.</summary>
    public async Task<BotStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        if (!_firstCheck.Task.IsCompleted)
        {
            try
            {
                await _firstCheck.Task.WaitAsync(FirstCheckWait, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Still checking: answer with what we know.
            }
        }

        return Current;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = _options.Value;
        if (settings.IsDryRun)
        {
            _logger.DryRunMode();
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var status = await CheckAsync(stoppingToken);
            Volatile.Write(ref _current, status);

            var delay = status.Healthy ? settings.StatusRefreshInterval : Min(settings.StatusRetryInterval, settings.StatusRefreshInterval);
            var nextCheck = Task.Delay(delay, _time, stoppingToken);
            _firstCheck.TrySetResult();
            await nextCheck;
        }
    }

    private async Task<BotStatus> CheckAsync(CancellationToken stoppingToken)
    {
        try
        {
            var me = await _clients.Create().GetMe(stoppingToken);
            var username = me.Username ?? me.FirstName;
            var previous = Volatile.Read(ref _current);
            if (!previous.Healthy || previous.Username != username)
            {
                _logger.BotConnected(username);
            }

            return BotStatus.Connected(username);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            var reason = TelegramDelivery.Describe(exception);
            _logger.BotStatusFailed(reason);
            return BotStatus.Failed(reason);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
