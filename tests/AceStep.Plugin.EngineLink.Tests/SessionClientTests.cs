using System.Text;
using AceStep.Contracts.Sessions;

namespace AceStep.Plugin.EngineLink.Tests;

/// <summary>The plugin side of <c>pluginSession</c> against a real in-process engine (its session registry and HTTP page routes).</summary>
public sealed class SessionClientTests
{
    private static async Task PostCommandAsync(Uri controlUrl, string json)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(controlUrl.ToString().TrimEnd('/') + "/commands", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Open_update_put_take_poll_and_close_reach_the_page()
    {
        await using var engine = await ToneEngine.StartAsync();
        await using var connector = new EngineConnector(new EngineLinkOptions { PipeName = engine.PipeName });
        var id = Guid.NewGuid();
        using var session = new SessionClient(connector, id);

        var url = await session.OpenAsync("REAPER", "AceStep in REAPER", CancellationToken.None);
        Assert.EndsWith("/control/" + id, url.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(engine.Host.HttpAddress.Port, url.Port);

        var revision = await session.UpdateAsync(new SessionView { HostName = "REAPER", SampleRate = 48_000, Settings = new SessionSettings { Prompt = "lofi" } },
            CancellationToken.None);
        Assert.NotNull(revision);
        using (var http = new HttpClient())
        {
            var view = await http.GetStringAsync(url.ToString().TrimEnd('/') + "/view?after=-1");
            Assert.Contains("\"prompt\":\"lofi\"", view, StringComparison.Ordinal);
        }

        var audio = new float[4800 * 2];
        audio[10] = 0.5f;
        var audioUrl = await session.PutTakeAsync("t1", audio, 48_000, 2, CancellationToken.None);
        Assert.NotNull(audioUrl);

        // A command the page sent arrives through the long poll.
        var polling = session.PollAsync(0, TimeSpan.FromSeconds(20), CancellationToken.None);
        await PostCommandAsync(url, "{\"command\":\"selectTake\",\"takeId\":\"t1\"}");
        var command = Assert.Single(await polling);
        Assert.Equal((SessionCommands.SelectTake, "t1"), (command.Command, command.TakeId));
        Assert.Empty(await session.PollAsync(command.Sequence, TimeSpan.Zero, CancellationToken.None));

        await session.CloseAsync(CancellationToken.None);
        Assert.False(session.IsOpen);
        engine.DeleteHome();
    }

    [Fact]
    public async Task After_the_engine_restarts_the_session_is_opened_again_by_the_next_call()
    {
        var pipe = ToneEngine.NewPipeName();
        var home = Path.Combine(Path.GetTempPath(), "acestep-link-" + Guid.NewGuid().ToString("N")[..10]);
        var engine = await ToneEngine.StartAsync(pipe, home);
        await using var connector = new EngineConnector(new EngineLinkOptions { PipeName = pipe });
        using var session = new SessionClient(connector, Guid.NewGuid());
        await session.OpenAsync("Ardour", null, CancellationToken.None);
        Assert.Equal(1, session.OpenCount);

        // The engine goes away and comes back (it remembers no instance): the update re-opens, then succeeds.
        await engine.DisposeAsync();
        engine = await ToneEngine.StartAsync(pipe, home);
        await session.UpdateAsync(new SessionView { HostName = "Ardour" }, CancellationToken.None);
        Assert.Equal(2, session.OpenCount);
        Assert.True(session.IsOpen);
        await engine.DisposeAsync();
        engine.DeleteHome();
    }

    [Fact]
    public async Task A_put_take_without_a_take_id_is_refused_in_words()
    {
        // Input tried: putTake with an empty take id, which the engine's validator rejects.
        await using var engine = await ToneEngine.StartAsync();
        await using var connector = new EngineConnector(new EngineLinkOptions { PipeName = engine.PipeName });
        using var session = new SessionClient(connector, Guid.NewGuid());
        await session.OpenAsync(null, null, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<SessionRefusedException>(() => session.PutTakeAsync("", [0f, 0f], 48_000, 2, CancellationToken.None));
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        engine.DeleteHome();
    }
}
