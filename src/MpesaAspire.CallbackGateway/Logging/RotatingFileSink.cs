using System.Text;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace MpesaAspire.CallbackGateway.Logging;

/// <summary>
/// Writes log events to one file that always keeps its name, rolling by size the way Python's
/// <c>RotatingFileHandler</c> does: the full file becomes <c>name.1</c>, <c>name.1</c> becomes
/// <c>name.2</c>, and so on. Every event is flushed, so <c>tail -f</c> sees it at once.
/// </summary>
internal sealed class RotatingFileSink : ILogEventSink, IDisposable
{
    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly Lock _sync = new();
    private readonly string _path;
    private readonly long _fileSizeLimitBytes;
    private readonly int _retainedFileCountLimit;
    private readonly ITextFormatter _formatter;
    private FileStream? _stream;
    private StreamWriter? _writer;
    private bool _disposed;

    public RotatingFileSink(string path, long fileSizeLimitBytes, int retainedFileCountLimit, ITextFormatter formatter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fileSizeLimitBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedFileCountLimit, 1);
        _path = System.IO.Path.GetFullPath(path);
        _fileSizeLimitBytes = fileSizeLimitBytes;
        _retainedFileCountLimit = retainedFileCountLimit;
        _formatter = formatter;
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                using var line = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
                _formatter.Format(logEvent, line);
                var text = line.ToString();

                if (_writer is null)
                {
                    Open();
                }

                // Like Python's RotatingFileHandler: roll before a line that would not fit, so the
                // current file always holds the latest lines.
                if (_stream!.Length > 0 && _stream.Length + Utf8NoBom.GetByteCount(text) > _fileSizeLimitBytes)
                {
                    Roll();
                    Open();
                }

                _writer!.Write(text);
                _writer.Flush();
            }
            catch (IOException ex)
            {
                SelfLog.WriteLine("Could not write to {0}: {1}", _path, ex);
                Close();
            }
            catch (UnauthorizedAccessException ex)
            {
                SelfLog.WriteLine("Could not write to {0}: {1}", _path, ex);
                Close();
            }
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            Close();
        }
    }

    private void Open()
    {
        var directory = System.IO.Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(_stream, Utf8NoBom);
    }

    private void Roll()
    {
        Close();

        var oldest = BackupPath(_retainedFileCountLimit - 1);
        if (_retainedFileCountLimit == 1)
        {
            File.Delete(_path);
            return;
        }

        File.Delete(oldest);
        for (var index = _retainedFileCountLimit - 2; index >= 1; index--)
        {
            var source = BackupPath(index);
            if (File.Exists(source))
            {
                File.Move(source, BackupPath(index + 1), overwrite: true);
            }
        }

        File.Move(_path, BackupPath(1), overwrite: true);
    }

    private string BackupPath(int index) => _path + "." + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Close()
    {
        _writer?.Dispose();
        _stream?.Dispose();
        _writer = null;
        _stream = null;
    }
}
