using System.Buffers.Binary;
using AceStep.Pipes;

namespace AceStep.Pipes.Tests;

public class FramingTests
{
    private static async Task<MemoryStream> WrittenAsync(params (FrameKind Kind, byte[] Payload)[] frames)
    {
        var stream = new MemoryStream();
        using var writer = new FrameWriter(stream);
        foreach (var (kind, payload) in frames)
        {
            await writer.WriteAsync(kind, payload, CancellationToken.None);
        }
        stream.Position = 0;
        return stream;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]      // exactly the coalescing limit
    [InlineData(1_000_003)]   // written header-then-payload
    public async Task Frames_round_trip_with_their_kind_and_bytes(int size)
    {
        var payload = new byte[size];
        new Random(size).NextBytes(payload);
        var stream = await WrittenAsync((FrameKind.Json, payload), (FrameKind.Attachment, [1, 2, 3]));

        var reader = new FrameReader(stream);
        using (var first = await reader.ReadAsync(CancellationToken.None))
        {
            Assert.NotNull(first);
            Assert.Equal(FrameKind.Json, first.Kind);
            Assert.Equal(payload, first.Payload.ToArray());
        }
        using (var second = await reader.ReadAsync(CancellationToken.None))
        {
            Assert.Equal(FrameKind.Attachment, second!.Kind);
            Assert.Equal([1, 2, 3], second.Payload.ToArray());
        }
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Header_layout_is_u32_little_endian_length_then_kind()
    {
        var stream = await WrittenAsync((FrameKind.Json, "{}"u8.ToArray()));
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0x03, (byte)'{', (byte)'}' }, stream.ToArray());
    }

    [Fact]
    public async Task A_stream_ending_inside_the_header_is_reported_as_truncated()
    {
        // Input: 3 of the 5 header bytes.
        var reader = new FrameReader(new MemoryStream([5, 0, 0]));
        var ex = await Assert.ThrowsAsync<PipeProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
        Assert.Equal(PipeProtocolException.Truncated, ex.Code);
        Assert.Contains("3 of the 5 header bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_ending_inside_the_payload_is_reported_as_truncated()
    {
        // Input: a Json frame announcing 10 bytes but carrying 4.
        var reader = new FrameReader(new MemoryStream([10, 0, 0, 0, 0x03, 1, 2, 3, 4]));
        var ex = await Assert.ThrowsAsync<PipeProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
        Assert.Equal(PipeProtocolException.Truncated, ex.Code);
        Assert.Contains("4 of the 10 payload bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_length_is_refused_before_any_allocation()
    {
        // Input: a Json frame header announcing 4 GiB - 1 bytes, with no payload behind it.
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(header, uint.MaxValue);
        header[4] = (byte)FrameKind.Json;
        var reader = new FrameReader(new MemoryStream(header), new FrameLimits(1024, 4096));
        var ex = await Assert.ThrowsAsync<PipeProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
        Assert.Equal(PipeProtocolException.FrameTooLarge, ex.Code);
        Assert.Contains("limit of 1024 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_attachment_is_named_with_the_right_article()
    {
        // Input: an Attachment header announcing 65 bytes against a 64-byte limit.
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 65);
        header[4] = (byte)FrameKind.Attachment;
        var reader = new FrameReader(new MemoryStream(header), new FrameLimits(8, 64));
        var ex = await Assert.ThrowsAsync<PipeProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
        Assert.StartsWith("An Attachment frame of 65 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attachment_larger_than_the_pooled_size_round_trips_through_take_and_dispose()
    {
        // Input: a 9 MiB attachment, past Frame.PooledMaxBytes: its buffer is its own array, not the shared pool's.
        var bytes = new byte[Frame.PooledMaxBytes + (1 << 20)];
        new Random(9).NextBytes(bytes);
        var stream = new MemoryStream();
        using (var writer = new FrameWriter(stream))
        {
            await writer.WriteAttachmentAsync(42, bytes, CancellationToken.None);
        }
        stream.Position = 0;
        using var frame = await new FrameReader(stream).ReadAsync(CancellationToken.None);
        var (id, owned) = Attachments.Take(frame!);
        using (owned)
        {
            Assert.Equal(42u, id);
            Assert.True(owned.Memory.Span.SequenceEqual(bytes));
        }
        Assert.Throws<ObjectDisposedException>(() => owned.Memory);
    }

    [Fact]
    public async Task Attachments_have_their_own_larger_limit()
    {
        var limits = new FrameLimits(MaxJsonBytes: 8, MaxAttachmentBytes: 64);
        var stream = await WrittenAsync((FrameKind.Attachment, new byte[64]), (FrameKind.Json, new byte[9]));
        var reader = new FrameReader(stream, limits);
        using (var attachment = await reader.ReadAsync(CancellationToken.None))
        {
            Assert.Equal(64, attachment!.Length);
        }
        // Input: a 9-byte Json frame against an 8-byte JSON limit.
        var ex = await Assert.ThrowsAsync<PipeProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
        Assert.Equal(PipeProtocolException.FrameTooLarge, ex.Code);
    }

    [Fact]
    public async Task An_unknown_kind_byte_is_refused()
    {
        // Input: kind 0x7E, which the protocol does not define.
        var reader = new FrameReader(new MemoryStream([0, 0, 0, 0, 0x7E]));
        var ex = await Assert.ThrowsAsync<PipeProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
        Assert.Equal(PipeProtocolException.UnexpectedFrame, ex.Code);
        Assert.Contains("0x7E", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_writers_never_interleave_frames()
    {
        var stream = new MemoryStream();
        using var writer = new FrameWriter(stream);
        var payloads = Enumerable.Range(1, 32).Select(i => Enumerable.Repeat((byte)i, 70_000 + i).ToArray()).ToArray();
        await Task.WhenAll(payloads.Select(p => Task.Run(() => writer.WriteAsync(FrameKind.Attachment, p, CancellationToken.None).AsTask())));

        stream.Position = 0;
        var reader = new FrameReader(stream);
        var seen = new List<int>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                var bytes = frame.Payload.Span;
                Assert.True(bytes.IndexOfAnyExcept(bytes[0]) < 0, "a frame mixes bytes of two writers");
                Assert.Equal(70_000 + bytes[0], bytes.Length);
                seen.Add(bytes[0]);
            }
        }
        Assert.Equal(Enumerable.Range(1, 32), seen.Order());
    }
}
