using System.Buffers.Binary;
using System.IO.Pipes;
using System.Text.Json.Nodes;
using AceStep.Pipes;

namespace AceStep.Engine.Host.Tests;

public class PipeTransportTests : IClassFixture<RunningEngine>
{
    private readonly RunningEngine _engine;

    public PipeTransportTests(RunningEngine engine) => _engine = engine;

    private async Task<NamedPipeClientStream> RawConnectAsync()
    {
        var pipe = new NamedPipeClientStream(".", _engine.PipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await pipe.ConnectAsync(5000);
        return pipe;
    }

    private static async Task<PipeFatal> ReadFatalAsync(Stream pipe)
    {
        using var frame = await new FrameReader(pipe).ReadAsync(CancellationToken.None);
        Assert.NotNull(frame);
        Assert.Equal(FrameKind.Fatal, frame.Kind);
        var fatal = Handshake.ReadFatal(frame.Payload.Span);
        // After a Fatal frame the engine closes this connection.
        Assert.Null(await new FrameReader(pipe).ReadAsync(CancellationToken.None));
        return fatal;
    }

    private async Task AssertStillServingAsync()
    {
        await using var client = await EnginePipeClient.ConnectAsync(_engine.PipeName);
        Assert.True(await client.PingAsync());
    }

    [Fact]
    public async Task Ping_answers_pong_and_the_handshake_names_the_engine()
    {
        await using var client = await EnginePipeClient.ConnectAsync(_engine.PipeName);
        Assert.Equal("acestep-engine", client.Engine.Name);
        Assert.Equal(Environment.ProcessId, client.Engine.ProcessId);
        Assert.True(await client.PingAsync());
    }

    [Fact]
    public async Task Replies_are_the_same_items_as_over_http()
    {
        await using var client = await EnginePipeClient.ConnectAsync(_engine.PipeName);
        var reply = await client.SendAsync([new JsonObject { ["taskType"] = "ping" }, new JsonObject { ["taskType"] = "paint" }]);
        var pong = reply.Data!.Single()!;
        Assert.True((bool)pong["pong"]!);
        Assert.NotNull(pong["compute"]?["cpu"]);
        Assert.Equal("unsupportedTaskType", reply.Errors!.Single().Code);
    }

    [Fact]
    public async Task Many_clients_with_overlapping_requests_each_get_their_own_replies()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => EnginePipeClient.ConnectAsync(_engine.PipeName)));
        try
        {
            var pings = clients.SelectMany(c => Enumerable.Range(0, 25).Select(i =>
                c.SendAsync([new JsonObject { ["taskType"] = "ping", ["taskUUID"] = $"{c.GetHashCode()}-{i}" }])
                    .ContinueWith(t => (Expected: $"{c.GetHashCode()}-{i}", Got: (string?)t.Result.Data![0]["taskUUID"]), TaskScheduler.Default)));
            var results = await Task.WhenAll(pings);
            Assert.All(results, r => Assert.Equal(r.Expected, r.Got));
            Assert.Equal(200, results.Length);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_client_of_another_protocol_version_gets_a_clear_error_and_others_are_unaffected()
    {
        // Input: a Hello for protocol version 99.
        await using (var pipe = await RawConnectAsync())
        {
            using var writer = new FrameWriter(pipe);
            await writer.WriteAsync(FrameKind.Hello, Handshake.HelloPayload(99), CancellationToken.None);
            var fatal = await ReadFatalAsync(pipe);
            Assert.Equal(PipeProtocolException.BadHandshake, fatal.Code);
            Assert.Contains("version 99", fatal.Message, StringComparison.Ordinal);
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task An_oversized_frame_closes_that_connection_only()
    {
        // Input: a valid handshake, then a Json frame header announcing 1 GiB.
        await using var bystander = await EnginePipeClient.ConnectAsync(_engine.PipeName);
        await using (var pipe = await RawConnectAsync())
        {
            await HandshakeAsync(pipe);
            var header = new byte[5];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 1u << 30);
            header[4] = (byte)FrameKind.Json;
            await pipe.WriteAsync(header);
            var fatal = await ReadFatalAsync(pipe);
            Assert.Equal(PipeProtocolException.FrameTooLarge, fatal.Code);
        }
        Assert.True(await bystander.PingAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"request","id":1}""")]             // no tasks
    [InlineData("""{"type":"reply","id":1,"tasks":[]}""")]    // a reply sent by a client
    public async Task A_malformed_json_message_gets_a_clear_error(string input)
    {
        await using (var pipe = await RawConnectAsync())
        {
            await HandshakeAsync(pipe);
            using var writer = new FrameWriter(pipe);
            await writer.WriteAsync(FrameKind.Json, System.Text.Encoding.UTF8.GetBytes(input), CancellationToken.None);
            var fatal = await ReadFatalAsync(pipe);
            Assert.Equal(PipeProtocolException.MalformedMessage, fatal.Code);
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_truncated_frame_and_a_vanished_client_leave_the_engine_serving()
    {
        // Input: a handshake, then 3 of a frame's 5 header bytes, then the client disconnects.
        await using (var pipe = await RawConnectAsync())
        {
            await HandshakeAsync(pipe);
            await pipe.WriteAsync(new byte[] { 9, 0, 0 });
        }
        // Input: a client that connects and leaves without a word.
        await using (await RawConnectAsync())
        {
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Clients_that_vanish_at_once_never_reset_the_clients_behind_them()
    {
        // Input: 20 rounds of a client that connects and leaves at once, racing a well-behaved client.
        for (var round = 0; round < 20; round++)
        {
            var vanish = Task.Run(async () =>
            {
                await using (await RawConnectAsync())
                {
                }
            });
            await AssertStillServingAsync();
            await vanish;
        }
    }

    [Fact]
    public async Task A_first_frame_that_is_not_a_hello_is_refused()
    {
        // Input: a Json request before any Hello.
        await using var pipe = await RawConnectAsync();
        using var writer = new FrameWriter(pipe);
        await writer.WriteAsync(FrameKind.Json, """{"type":"request","id":1,"tasks":[]}"""u8.ToArray(), CancellationToken.None);
        var fatal = await ReadFatalAsync(pipe);
        Assert.Equal(PipeProtocolException.BadHandshake, fatal.Code);
    }

    private static async Task HandshakeAsync(Stream pipe)
    {
        using var writer = new FrameWriter(pipe);
        await writer.WriteAsync(FrameKind.Hello, Handshake.HelloPayload(), CancellationToken.None);
        using var welcome = await new FrameReader(pipe).ReadAsync(CancellationToken.None);
        Assert.Equal(FrameKind.Welcome, welcome!.Kind);
    }
}
