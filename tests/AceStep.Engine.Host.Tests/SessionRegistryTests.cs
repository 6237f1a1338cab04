using AceStep.Contracts.Sessions;
using AceStep.Engine.Host.Delivery;
using AceStep.Engine.Host.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace AceStep.Engine.Host.Tests;

/// <summary>The in-memory sessions: views, take audio, the command queue and its waiters, expiry. Clock is fake.</summary>
public sealed class SessionRegistryTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private SessionRegistry _registry;

    public SessionRegistryTests() => _registry = Create(SessionLimits.Default);

    private SessionRegistry Create(SessionLimits limits)
    {
        var address = new EngineAddress();
        address.Set(new Uri("http://127.0.0.1:8001"));
        return new SessionRegistry(address, _clock, limits);
    }

    public void Dispose() => _registry.Dispose();

    private static SessionCommand Command(string name = SessionCommands.Cancel) => new() { Command = name };

    [Fact]
    public void Open_answers_the_page_address_from_the_engine_address()
    {
        var id = Guid.NewGuid();

        var session = _registry.Open(id, "REAPER", "Vocals");

        Assert.Equal(new Uri($"http://127.0.0.1:8001/control/{id}"), session.ControlUrl);
        Assert.Same(session, _registry.Find(id));
    }

    [Fact]
    public async Task Commands_are_numbered_from_one_and_a_poll_answers_those_after_its_sequence()
    {
        var session = _registry.Open(Guid.NewGuid(), null, null);

        var sequences = new[] { session.AddCommand(Command()), session.AddCommand(Command(SessionCommands.Generate)), session.AddCommand(Command()) };
        var after1 = await session.PollAsync(1, TimeSpan.Zero, _clock, default);

        Assert.Equal([1L, 2L, 3L], sequences);
        Assert.Equal([2L, 3L], after1.Select(c => c.Sequence));
        Assert.Equal(SessionCommands.Generate, after1[0].Command);
    }

    [Fact]
    public async Task A_poll_waits_for_the_next_command_and_returns_it()
    {
        var session = _registry.Open(Guid.NewGuid(), null, null);
        session.AddCommand(Command());

        var poll = session.PollAsync(1, TimeSpan.FromSeconds(20), _clock, default);
        Assert.False(poll.IsCompleted);
        session.AddCommand(Command(SessionCommands.Listen));

        var commands = await poll.WaitAsync(Guard);
        Assert.Equal(2, Assert.Single(commands).Sequence);
    }

    [Fact]
    public async Task A_poll_with_nothing_to_answer_returns_empty_when_its_wait_runs_out()
    {
        var session = _registry.Open(Guid.NewGuid(), null, null);

        var poll = session.PollAsync(0, TimeSpan.FromSeconds(20), _clock, default);
        _clock.Advance(TimeSpan.FromSeconds(21));

        Assert.Empty(await poll.WaitAsync(Guard));
    }

    [Fact]
    public async Task A_sequence_beyond_the_newest_is_read_as_zero_so_a_plugin_survives_an_engine_restart()
    {
        var session = _registry.Open(Guid.NewGuid(), null, null);
        session.AddCommand(Command());

        // The plugin handled 57 commands of the previous engine; this one numbers from 1 again.
        var commands = await session.PollAsync(57, TimeSpan.Zero, _clock, default);

        Assert.Equal(1, Assert.Single(commands).Sequence);
    }

    [Fact]
    public async Task The_command_queue_keeps_only_the_newest_when_the_plugin_does_not_poll()
    {
        _registry.Dispose();
        _registry = Create(SessionLimits.Default with { MaxQueuedCommands = 3 });
        var session = _registry.Open(Guid.NewGuid(), null, null);

        for (var i = 0; i < 5; i++)
        {
            session.AddCommand(Command());
        }

        Assert.Equal([3L, 4L, 5L], (await session.PollAsync(0, TimeSpan.Zero, _clock, default)).Select(c => c.Sequence));
    }

    [Fact]
    public async Task An_update_raises_the_revision_and_wakes_a_waiting_page()
    {
        var session = _registry.Open(Guid.NewGuid(), "Bitwig", null);
        var before = session.View.Revision;

        var wait = session.WaitForViewAsync(before, TimeSpan.FromSeconds(25), _clock, default);
        Assert.False(wait.IsCompleted);
        var revision = session.Update(new SessionView { Context = new SessionContext { Tempo = 128 } }, _clock.GetUtcNow());

        var view = await wait.WaitAsync(Guard);
        Assert.True(revision > before);
        Assert.Equal((revision, 128.0, "Bitwig"), (view!.Revision, view.Context.Tempo!.Value, view.HostName));
    }

    [Fact]
    public async Task A_waiting_page_gets_the_current_view_when_nothing_changes_for_the_wait()
    {
        var session = _registry.Open(Guid.NewGuid(), null, null);
        var revision = session.Update(new SessionView(), _clock.GetUtcNow());

        var wait = session.WaitForViewAsync(revision, TimeSpan.FromSeconds(25), _clock, default);
        _clock.Advance(TimeSpan.FromSeconds(26));

        Assert.Equal(revision, (await wait.WaitAsync(Guard))!.Revision);
    }

    [Fact]
    public void A_take_s_audio_url_appears_in_the_view_once_its_audio_is_held()
    {
        var id = Guid.NewGuid();
        var session = _registry.Open(id, null, null);
        session.Update(new SessionView { Takes = [new SessionTake { Id = "t1" }, new SessionTake { Id = "t2" }] }, _clock.GetUtcNow());

        var url = session.PutTake("t2", [1, 2, 3], _clock.GetUtcNow());

        Assert.Equal(new Uri($"http://127.0.0.1:8001/control/{id}/takes/t2.wav"), url);
        Assert.Equal([null, url], session.View.Takes.Select(t => t.AudioUrl));
    }

    [Fact]
    public void Take_audio_beyond_the_count_limit_drops_the_oldest()
    {
        _registry.Dispose();
        _registry = Create(SessionLimits.Default with { MaxTakesPerSession = 2 });
        var session = _registry.Open(Guid.NewGuid(), null, null);

        foreach (var take in new[] { "a", "b", "c" })
        {
            session.PutTake(take, new byte[10], _clock.GetUtcNow());
        }

        Assert.Null(session.TakeWav("a"));
        Assert.NotNull(session.TakeWav("b"));
        Assert.NotNull(session.TakeWav("c"));
        Assert.Equal(20, session.TakeBytes);
    }

    [Fact]
    public void Take_audio_beyond_the_byte_limit_drops_the_oldest_but_keeps_the_newest()
    {
        _registry.Dispose();
        _registry = Create(SessionLimits.Default with { MaxTakeBytesPerSession = 100 });
        var session = _registry.Open(Guid.NewGuid(), null, null);

        session.PutTake("small", new byte[60], _clock.GetUtcNow());
        session.PutTake("big", new byte[150], _clock.GetUtcNow());

        Assert.Null(session.TakeWav("small"));
        Assert.Equal(150, session.TakeWav("big")!.Length);
    }

    [Fact]
    public async Task A_silent_plugin_s_session_expires_and_a_polling_one_does_not()
    {
        var silent = Guid.NewGuid();
        var polling = Guid.NewGuid();
        _registry.Open(silent, null, null);
        var session = _registry.Open(polling, null, null);

        // The polling plugin polls back to back, 20 s each, for longer than the expiry time.
        for (var elapsed = TimeSpan.Zero; elapsed <= SessionLimits.Default.ExpireAfter * 1.5; elapsed += TimeSpan.FromSeconds(20))
        {
            var poll = session.PollAsync(0, TimeSpan.FromSeconds(20), _clock, default);
            _clock.Advance(TimeSpan.FromSeconds(20));
            Assert.Empty(await poll.WaitAsync(Guard));
        }

        Assert.Null(_registry.Find(silent));
        Assert.NotNull(_registry.Find(polling));
    }

    [Fact]
    public void The_expiry_timer_closes_silent_sessions_on_its_own()
    {
        var id = Guid.NewGuid();
        _registry.Open(id, null, null);

        _clock.Advance(SessionLimits.Default.ExpireAfter + SessionLimits.Default.ExpireAfter / 2);

        Assert.Null(_registry.Find(id));
    }

    [Fact]
    public void An_expired_plugin_that_wakes_up_gets_its_session_back_with_its_last_view()
    {
        var id = Guid.NewGuid();
        _registry.Open(id, "Ardour", "Keys").Update(new SessionView { Context = new SessionContext { Tempo = 97 } }, _clock.GetUtcNow());
        _clock.Advance(SessionLimits.Default.ExpireAfter * 2);   // the laptop slept
        Assert.Null(_registry.Find(id));

        var revived = _registry.FindOrRevive(id);

        Assert.NotNull(revived);
        Assert.Equal((97.0, "Ardour", "Keys"), (revived.View.Context.Tempo!.Value, revived.HostName, revived.Title));
        Assert.Same(revived, _registry.Find(id));
    }

    [Fact]
    public void An_instance_that_said_close_or_never_opened_is_not_revived()
    {
        var closed = Guid.NewGuid();
        _registry.Open(closed, null, null);
        _registry.Close(closed);

        Assert.Null(_registry.FindOrRevive(closed));
        Assert.Null(_registry.FindOrRevive(Guid.NewGuid()));
    }

    [Fact]
    public async Task Close_wakes_a_waiting_page_and_poll_and_refuses_later_updates()
    {
        var id = Guid.NewGuid();
        var session = _registry.Open(id, null, null);
        var page = session.WaitForViewAsync(session.View.Revision, TimeSpan.FromSeconds(25), _clock, default);
        var poll = session.PollAsync(0, TimeSpan.FromSeconds(20), _clock, default);

        Assert.True(_registry.Close(id));

        Assert.Null(await page.WaitAsync(Guard));
        Assert.Empty(await poll.WaitAsync(Guard));
        Assert.Throws<SessionClosedException>(() => session.Update(new SessionView(), _clock.GetUtcNow()));
        Assert.Null(_registry.Find(id));
    }

    [Fact]
    public void Opening_again_keeps_the_session_so_a_reconnecting_plugin_keeps_its_commands()
    {
        var id = Guid.NewGuid();
        var first = _registry.Open(id, "REAPER", null);
        first.AddCommand(Command());

        var second = _registry.Open(id, null, "Bass");

        Assert.Same(first, second);
        Assert.Equal((1L, "REAPER", "Bass"), (second.LastSequence, second.HostName, second.Title));
    }

    [Fact]
    public void Opening_more_instances_than_the_limit_is_refused_in_words()
    {
        _registry.Dispose();
        _registry = Create(SessionLimits.Default with { MaxSessions = 1 });
        _registry.Open(Guid.NewGuid(), null, null);

        var refused = Assert.Throws<SessionLimitException>(() => _registry.Open(Guid.NewGuid(), null, null));
        Assert.Contains("close some instances", refused.Message, StringComparison.Ordinal);
    }
}
