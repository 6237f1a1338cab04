using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AceStep.Cli.Tests;

/// <summary>
/// Issue 17: an input far over the model's 600 s used to be decoded in full before it was refused (+2.6 GB of RSS per
/// request, never given back), and unused pipe attachments stayed in the shared pool. A real engine process now probes
/// inputs first and gives large buffers back: its RSS returns near its baseline.
/// </summary>
public sealed class InputMemoryTests : IAsyncLifetime
{
    private readonly EngineProcess _engine = new() { Arguments = ["--diagnostic-tone", "1"] };

    public Task InitializeAsync() => _engine.InitializeAsync();

    public Task DisposeAsync() => _engine.DisposeAsync();

    /// <summary>An hour of 8 kHz 8-bit mono silence: 28.8 MB, the input the issue was found with.</summary>
    private static byte[] HourOfSilenceWav()
    {
        const int rate = 8_000, seconds = 3_600, dataBytes = rate * seconds;
        var wav = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);        // PCM
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), 1);        // mono
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), rate);     // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), 1);        // block align
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 8);        // bits
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), dataBytes);
        wav.AsSpan(44).Fill(0x80);                                         // 8-bit silence
        return wav;
    }

    /// <summary>VmRSS (now) and VmHWM (peak) of a process, in MiB, from /proc.</summary>
    private static (double Rss, double Peak) Memory(int pid)
    {
        double Field(string[] lines, string name) =>
            double.Parse(lines.Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
                CultureInfo.InvariantCulture) / 1024;
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }

    [Fact]
    public async Task Ten_inputs_of_an_hour_are_refused_before_decoding_and_memory_stays_near_its_baseline()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var http = new HttpClient { BaseAddress = new Uri(_engine.HttpUrl), Timeout = TimeSpan.FromMinutes(2) };
        async Task<(HttpStatusCode Status, JsonNode Body)> UploadAsync(string base64)
        {
            var body = new JsonArray(new JsonObject { ["taskType"] = "mediaStorage", ["operation"] = "upload", ["media"] = base64 }).ToJsonString();
            using var response = await http.PostAsync("/v1", new StringContent(body, Encoding.UTF8, "application/json"));
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        }
        // Warm-up: one small valid upload, so Kestrel, FFmpeg and the codec paths are loaded before the baseline.
        var small = HourOfSilenceWav().AsSpan(0, 44 + 8_000).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(small.AsSpan(40), 8_000);
        BinaryPrimitives.WriteInt32LittleEndian(small.AsSpan(4), 36 + 8_000);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(Convert.ToBase64String(small))).Status);
        var baseline = Memory(_engine.ProcessId);

        var hour = Convert.ToBase64String(HourOfSilenceWav());   // 38 MB of base64, under the 64 MiB request limit
        for (var i = 0; i < 10; i++)
        {
            var (status, body) = await UploadAsync(hour);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            var error = body["errors"]![0]!;
            Assert.Equal("invalidAudio", (string)error["code"]!);
            Assert.Contains("3600.0 s long; the model takes at most 600 s", (string)error["message"]!, StringComparison.Ordinal);
            Assert.DoesNotContain("acestep-in-", (string)error["message"]!, StringComparison.Ordinal);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));   // let a background GC finish
        var after = Memory(_engine.ProcessId);
        // Each request holds its 38 MB body, its string and the decoded 29 MB at most; decoding the
        // hour as 48 kHz stereo float would take 1.4 GB. Measured: baseline 84 MiB, peak 317–373, after 93–157 (docs/security.md).
        Console.WriteLine($"InputMemoryTests: baseline {baseline.Rss:0} MiB, peak {after.Peak:0} MiB, after {after.Rss:0} MiB");
        Assert.True(after.Peak - baseline.Rss < 600, $"peak RSS {after.Peak:0} MiB vs baseline {baseline.Rss:0} MiB");
        Assert.True(after.Rss - baseline.Rss < 150, $"RSS {after.Rss:0} MiB after, baseline {baseline.Rss:0} MiB (peak {after.Peak:0})");
    }

    [Fact]
    public async Task Unused_pipe_attachments_are_given_back_when_their_connection_closes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // Warm-up: one connection with a small attachment, so the pipe paths are loaded before the baseline.
        await SendUnusedAttachmentsAsync(count: 1, bytes: 1024);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var baseline = Memory(_engine.ProcessId);

        // Input: four 100 MB attachments that no request ever uses, then the client leaves.
        await SendUnusedAttachmentsAsync(count: 4, bytes: 100_000_000);
        await Task.Delay(TimeSpan.FromSeconds(2));   // the collection after the connection closes
        var after = Memory(_engine.ProcessId);
        Console.WriteLine($"InputMemoryTests (pipe): baseline {baseline.Rss:0} MiB, peak {after.Peak:0} MiB, after {after.Rss:0} MiB");
        Assert.True(after.Rss - baseline.Rss < 150, $"RSS {after.Rss:0} MiB after, baseline {baseline.Rss:0} MiB (peak {after.Peak:0})");
    }

    private async Task SendUnusedAttachmentsAsync(int count, int bytes)
    {
        var payload = new byte[bytes];
        await using var pipe = new System.IO.Pipes.NamedPipeClientStream(".", _engine.PipeName, System.IO.Pipes.PipeDirection.InOut,
            System.IO.Pipes.PipeOptions.Asynchronous | System.IO.Pipes.PipeOptions.CurrentUserOnly);
        await pipe.ConnectAsync(5000);
        using var writer = new AceStep.Pipes.FrameWriter(pipe);
        await writer.WriteAsync(AceStep.Pipes.FrameKind.Hello, AceStep.Pipes.Handshake.HelloPayload(), CancellationToken.None);
        using (await new AceStep.Pipes.FrameReader(pipe).ReadAsync(CancellationToken.None))
        {
        }
        for (var id = 1u; id <= count; id++)
        {
            await writer.WriteAttachmentAsync(id, payload, CancellationToken.None);
        }
        // A ping after them: when it is answered, the engine has read (and holds) every attachment.
        await writer.WriteAsync(AceStep.Pipes.FrameKind.Json, """{"type":"request","id":1,"tasks":[{"taskType":"ping"}]}"""u8.ToArray(), CancellationToken.None);
        using var reply = await new AceStep.Pipes.FrameReader(pipe).ReadAsync(CancellationToken.None);
        Assert.Equal(AceStep.Pipes.FrameKind.Json, reply!.Kind);
    }
}
