using System.Buffers;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that passes what is written straight on to a stream through one reused buffer, so a
/// <see cref="System.Text.Json.Utf8JsonWriter"/> writing a fleet of a million devices holds 64 KB, not the whole text
/// (over a stream it would buffer everything until it is flushed).
/// </summary>
/// <param name="stream">The destination.</param>
internal sealed class StreamBufferWriter(Stream stream) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[1 << 16];

    /// <inheritdoc/>
    public void Advance(int count) => stream.Write(_buffer, 0, count);

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (sizeHint > _buffer.Length) _buffer = new byte[sizeHint];
        return _buffer;
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
