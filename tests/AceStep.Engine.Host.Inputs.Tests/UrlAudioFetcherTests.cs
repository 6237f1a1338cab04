using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AceStep.Engine.Host.Inputs;

namespace AceStep.Engine.Host.Inputs.Tests;

/// <summary>
/// <see cref="UrlAudioFetcher"/> against a real HTTP server on 127.0.0.1. Each test names the input it tries, and
/// checks the error code the task will report and that the message names the host and the reason.
/// </summary>
public sealed class UrlAudioFetcherTests : IClassFixture<LoopbackAudioServer>, IDisposable
{
    private const string InvalidAudio = "invalidAudio";
    private const string MediaNotFound = "mediaNotFound";

    private readonly LoopbackAudioServer _server;
    private readonly UrlAudioFetcher _fetcher = new(maxBytes: 1024 * 1024, timeout: TimeSpan.FromSeconds(5), connectTimeout: TimeSpan.FromSeconds(2));
    private readonly string _dir = Directory.CreateTempSubdirectory("acestep-fetch-").FullName;

    public UrlAudioFetcherTests(LoopbackAudioServer server) => _server = server;

    public void Dispose()
    {
        _fetcher.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_file_is_downloaded_byte_for_byte()
    {
        // Input: GET /audio.wav, 300 000 bytes with a Content-Length.
        var bytes = await _fetcher.FetchAsync(_server.Url("/audio.wav"), CancellationToken.None);
        Assert.Equal(LoopbackAudioServer.Audio, bytes);
    }

    [Fact]
    public async Task A_file_is_streamed_to_disk_byte_for_byte()
    {
        // Input: GET /audio.wav into a file.
        var path = Path.Combine(_dir, "in.wav");
        var length = await _fetcher.FetchToFileAsync(_server.Url("/audio.wav"), path, CancellationToken.None);
        Assert.Equal(LoopbackAudioServer.Audio.Length, length);
        Assert.Equal(LoopbackAudioServer.Audio, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_redirect_chain_of_two_is_followed()
    {
        // Input: GET /hop/2 → 302 /hop/1 → 302 /audio.wav.
        var bytes = await _fetcher.FetchAsync(_server.Url("/hop/2"), CancellationToken.None);
        Assert.Equal(LoopbackAudioServer.Audio, bytes);
    }

    [Fact]
    public async Task A_chain_of_more_than_five_redirects_is_refused()
    {
        // Input: GET /hop/6, six redirects before the file.
        var ex = await FailsAsync("/hop/6", InvalidAudio);
        Assert.Contains("302", ex.Message, StringComparison.Ordinal);
        Assert.Contains("more than 5 redirects", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/to-file", "file")]      // 302 Location: file:///etc/passwd
    [InlineData("/to-ftp", "ftp")]        // 302 Location: ftp://127.0.0.1/audio.wav
    public async Task A_redirect_to_another_scheme_is_refused_not_followed(string path, string scheme)
    {
        var ex = await FailsAsync(path, InvalidAudio);
        Assert.Contains($"its scheme is '{scheme}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the redirect was not followed", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/missing.wav", "404")]
    [InlineData("/gone.wav", "410")]
    public async Task Not_found_and_gone_are_media_not_found(string path, string status)
    {
        // Input: a URL the server answers 404 Not Found / 410 Gone.
        var ex = await FailsAsync(path, MediaNotFound);
        Assert.Contains(status, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_is_invalid_audio_with_the_status()
    {
        // Input: a URL the server answers 500 Internal Server Error.
        var ex = await FailsAsync("/broken.wav", InvalidAudio);
        Assert.Contains("500 Internal Server Error", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_body_is_refused()
    {
        // Input: 200 OK with Content-Length: 0.
        var ex = await FailsAsync("/empty.wav", InvalidAudio);
        Assert.Contains("empty body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        // Input: a server that accepts the request and never sends headers; the fetcher's timeout is 300 ms.
        using var fetcher = new UrlAudioFetcher(timeout: TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        var ex = await FailsAsync("/never-answers.wav", InvalidAudio, fetcher);
        Assert.Contains("did not deliver it within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_body_that_stops_halfway_times_out_too()
    {
        // Input: Content-Length 1 000 000, 1 000 bytes sent, then silence; the fetcher's timeout is 1 s.
        using var fetcher = new UrlAudioFetcher(timeout: TimeSpan.FromSeconds(1));
        var path = Path.Combine(_dir, "partial.wav");
        var ex = await Assert.ThrowsAsync<InputAudioFetchException>(() => fetcher.FetchToFileAsync(_server.Url("/stops-halfway.wav"), path, CancellationToken.None));
        Assert.Equal(InvalidAudio, ex.Code);
        Assert.Contains("did not deliver it within 1 s (1000 bytes received)", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "the partial download was left behind");
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_the_body_is_read()
    {
        // Input: Content-Length: 2 GiB against a 1 MiB limit (the server then writes 64 KiB every 50 ms).
        // "announced" comes only from the header check, made before the body is read.
        var ex = await FailsAsync("/declares-2-gib.wav", InvalidAudio);
        Assert.Contains("announced 2048 MiB, over the limit of 1 MiB; nothing was downloaded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_that_grows_over_the_limit_is_stopped_mid_stream()
    {
        // Input: no Content-Length, an endless chunked body, against a 1 MiB limit, streamed to a file.
        var path = Path.Combine(_dir, "endless.wav");
        var ex = await Assert.ThrowsAsync<InputAudioFetchException>(() => _fetcher.FetchToFileAsync(_server.Url("/endless-chunked.wav"), path, CancellationToken.None));
        Assert.Equal(InvalidAudio, ex.Code);
        Assert.Contains("sent more than the limit of 1 MiB; the download was stopped", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "the partial download was left behind");
    }

    [Fact]
    public async Task A_refused_connection_says_so()
    {
        // Input: http://127.0.0.1:<a port just closed>/audio.wav.
        var port = ClosedPort();
        var ex = await Assert.ThrowsAsync<InputAudioFetchException>(() => _fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/audio.wav"), CancellationToken.None));
        Assert.Equal(InvalidAudio, ex.Code);
        Assert.Equal("127.0.0.1", ex.Host);
        Assert.Contains("127.0.0.1 refused the connection", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/audio.wav", "ftp")]
    [InlineData("file:///etc/passwd", "file")]
    public async Task Urls_other_than_http_and_https_are_refused_without_a_request(string url, string scheme)
    {
        // Input: an ftp:// or file:// URL.
        var ex = await Assert.ThrowsAsync<InputAudioFetchException>(() => _fetcher.FetchAsync(new Uri(url), CancellationToken.None));
        Assert.Equal(InvalidAudio, ex.Code);
        Assert.Contains($"its scheme is '{scheme}'; only http:// and https:// URLs can be used", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_reported_as_a_bad_url()
    {
        // Input: a server that never answers, and the caller cancelling after 100 ms.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _fetcher.FetchAsync(_server.Url("/never-answers.wav"), cancel.Token));
    }

    private async Task<InputAudioFetchException> FailsAsync(string path, string code, UrlAudioFetcher? fetcher = null)
    {
        var ex = await Assert.ThrowsAsync<InputAudioFetchException>(() => (fetcher ?? _fetcher).FetchAsync(_server.Url(path), CancellationToken.None));
        Assert.Equal(code, ex.Code);
        Assert.Equal("127.0.0.1", ex.Host);
        Assert.Contains("127.0.0.1", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
