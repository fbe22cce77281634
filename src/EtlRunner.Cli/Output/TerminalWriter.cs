using System.Text;

namespace EtlRunner.Cli.Output;

/// <summary>
/// Stderr on a terminal, shared by plain writers (log lines, sandbox notes, the Ctrl+C notice) and the live progress
/// table. While the live table holds it, every whole line written here is handed to the table, which prints it
/// above itself; otherwise text goes straight through. Without this, a log line written under the table would
/// shift the screen and leave pieces of old tables behind.
/// </summary>
internal sealed class TerminalWriter(TextWriter inner) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _pending = new();
    private Action<string>? _holder;

    /// <summary>The terminal itself, for the live table to draw on.</summary>
    public TextWriter Inner => inner;

    public override Encoding Encoding => inner.Encoding;

    /// <summary>Sends whole lines to <paramref name="lines"/> until the returned handle is disposed.</summary>
    public IDisposable Hold(Action<string> lines)
    {
        lock (_gate)
        {
            _holder = lines;
        }

        return new Release(this);
    }

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            if (_holder is null)
            {
                inner.Write(buffer);
                return;
            }

            foreach (var c in buffer)
            {
                if (c == '\n')
                {
                    _holder(_pending.ToString().TrimEnd('\r'));
                    _pending.Clear();
                }
                else
                {
                    _pending.Append(c);
                }
            }
        }
    }

    public override void WriteLine(string? value) => Write(string.Concat(value, new string(CoreNewLine)));

    public override void Flush()
    {
        lock (_gate)
        {
            inner.Flush();
        }
    }

    private void Unhold()
    {
        lock (_gate)
        {
            _holder = null;
            if (_pending.Length > 0)
            {
                inner.Write(_pending.ToString());
                _pending.Clear();
            }

            inner.Flush();
        }
    }

    private sealed class Release(TerminalWriter writer) : IDisposable
    {
        public void Dispose() => writer.Unhold();
    }
}
