using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AceStep.Pipes.Tests;

/// <summary>
/// The frame reader every pipe byte goes through (issue 17), with small limits so oversize is reachable: generated frame
/// sequences round-trip whatever chunks the stream delivers them in, and arbitrary or mutated byte streams end in
/// frames within the limits, a clean end, or a <see cref="PipeProtocolException"/> — never another exception. A bounded
/// number of cases per run; the kept corpus replays the cases worth keeping.
/// </summary>
public sealed class FrameReaderPropertyTests
{
    private static readonly FrameLimits s_limits = new(MaxJsonBytes: 64, MaxAttachmentBytes: 256);
    private static readonly FrameKind[] s_kinds = Enum.GetValues<FrameKind>();

    /// <summary>Delivers its bytes in chunks of the given sizes (cycled), as a pipe may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int[] chunks) : MemoryStream(bytes)
    {
        private int _next;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var size = Math.Max(1, chunks.Length == 0 ? buffer.Length : chunks[_next++ % chunks.Length]);
            return base.ReadAsync(buffer[..Math.Min(size, buffer.Length)], cancellationToken);
        }
    }

    /// <summary>Reads to the end: the frames read, and the protocol error that ended it (null for a clean end).</summary>
    private static async Task<(List<(FrameKind Kind, byte[] Payload)> Frames, PipeProtocolException? Error)> ReadAllAsync(Stream stream)
    {
        var reader = new FrameReader(stream, s_limits);
        var frames = new List<(FrameKind, byte[])>();
        try
        {
            while (await reader.ReadAsync(CancellationToken.None) is { } frame)
            {
                using (frame)
                {
                    Assert.True(frame.Length <= s_limits.For(frame.Kind), $"a {frame.Kind} frame of {frame.Length} bytes passed the limit");
                    frames.Add((frame.Kind, frame.Payload.ToArray()));
                }
            }
            return (frames, null);
        }
        catch (PipeProtocolException ex)
        {
            return (frames, ex);
        }
    }

    private static byte[] Encode(IEnumerable<(FrameKind Kind, byte[] Payload)> frames)
    {
        using var stream = new MemoryStream();
        using var writer = new FrameWriter(stream);
        foreach (var (kind, payload) in frames)
        {
            writer.WriteAsync(kind, payload, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        return stream.ToArray();
    }

    private static readonly Gen<(FrameKind, byte[])> s_frame =
        Gen.Elements(s_kinds).SelectMany(kind => Gen.Choose(0, s_limits.For(kind)).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)),
            (kind, payload) => (kind, payload));

    private static readonly Gen<(FrameKind, byte[])[]> s_frames = Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(s_frame, n));

    private static readonly Gen<int[]> s_chunks = Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 9), n));

    [Property(MaxTest = 200)]
    public Property Frames_within_the_limits_round_trip_in_any_chunking() =>
        Prop.ForAll(s_frames.ToArbitrary(), s_chunks.ToArbitrary(), (frames, chunks) =>
        {
            var (read, error) = ReadAllAsync(new ChunkedStream(Encode(frames), chunks)).GetAwaiter().GetResult();
            return error is null && read.Count == frames.Length
                && read.Zip(frames).All(p => p.First.Kind == p.Second.Item1 && p.First.Payload.AsSpan().SequenceEqual(p.Second.Item2));
        });

    [Property(MaxTest = 300)]
    public Property Mutated_streams_end_cleanly_or_in_a_protocol_error() =>
        Prop.ForAll(s_frames.ToArbitrary(), Gen.Zip(Gen.Choose(0, 1000), Gen.Choose(0, 255)).ToArbitrary(), s_chunks.ToArbitrary(),
            (frames, mutation, chunks) =>
            {
                var bytes = Encode(frames);
                if (bytes.Length > 0)
                {
                    bytes[mutation.Item1 % bytes.Length] = (byte)mutation.Item2;
                }
                var cut = bytes.Length == 0 ? bytes : bytes[..(bytes.Length - (mutation.Item1 % 3 == 0 ? mutation.Item2 % bytes.Length : 0))];
                _ = ReadAllAsync(new ChunkedStream(cut, chunks)).GetAwaiter().GetResult();   // asserts the limits itself
                return true;
            });

    [Property(MaxTest = 200)]
    public Property Arbitrary_bytes_end_cleanly_or_in_a_protocol_error(byte[] bytes) =>
        Prop.ToProperty(ReadAllAsync(new MemoryStream(bytes)).GetAwaiter().GetResult() is var (_, error)
                        && (error is null || error.Code is PipeProtocolException.Truncated or PipeProtocolException.FrameTooLarge
                            or PipeProtocolException.UnexpectedFrame));

    public static TheoryData<string> Corpus() =>
        [.. Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "frame-corpus")).Select(p => Path.GetFileName(p)).Order()];

    /// <summary>Each kept stream, named <c>ok-N-frames…</c> or after the error code it must end in.</summary>
    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Kept_streams_end_as_their_name_says(string file)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "frame-corpus", file));
        var (frames, error) = await ReadAllAsync(new MemoryStream(bytes));
        if (file.StartsWith("ok-", StringComparison.Ordinal))
        {
            Assert.Null(error);
            Assert.Equal(int.Parse(file.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture), frames.Count);
        }
        else
        {
            Assert.NotNull(error);
            Assert.Equal(file[..file.IndexOf('-', StringComparison.Ordinal)], error.Code);
        }
    }
}
