using AceStep.Pipes;

namespace AceStep.Pipes.Tests;

public class HandshakeTests
{
    [Fact]
    public void Hello_is_magic_then_version_little_endian()
    {
        Assert.Equal("ASTP\x01\x00"u8.ToArray(), Handshake.HelloPayload());
        Assert.Equal(PipeProtocol.Version, Handshake.AcceptHello(Handshake.HelloPayload()));
    }

    [Fact]
    public void A_hello_of_another_version_is_refused_with_both_versions_named()
    {
        // Input: a well-formed Hello for version 7.
        var ex = Assert.Throws<PipeProtocolException>(() => Handshake.AcceptHello(Handshake.HelloPayload(7)));
        Assert.Equal(PipeProtocolException.BadHandshake, ex.Code);
        Assert.Contains("version 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"version {PipeProtocol.Version}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1")]      // someone speaking HTTP to the pipe
    [InlineData("AST")]         // too short
    [InlineData("ASTPx\0\0")]   // too long
    public void A_hello_without_the_magic_is_refused(string input)
    {
        var ex = Assert.Throws<PipeProtocolException>(() => Handshake.AcceptHello(System.Text.Encoding.ASCII.GetBytes(input)));
        Assert.Equal(PipeProtocolException.BadHandshake, ex.Code);
    }

    [Fact]
    public void Welcome_carries_the_engine_identity()
    {
        var identity = new EngineIdentity("acestep-engine", "1.2.3", 42);
        var (version, read) = Handshake.ReadWelcome(Handshake.WelcomePayload(identity));
        Assert.Equal(PipeProtocol.Version, version);
        Assert.Equal(identity, read);
    }

    [Fact]
    public void A_fatal_frame_with_garbage_still_yields_a_message()
    {
        // Input: a Fatal payload that is not JSON.
        var fatal = Handshake.ReadFatal("boom"u8);
        Assert.Equal("unknown", fatal.Code);
        Assert.Equal("boom", fatal.Message);
    }
}
