using AceStep.Contracts.Sessions;

namespace AceStep.Engine.Host.Sessions;

/// <summary>
/// One plugin instance's control-page state: its latest view, the take audio it handed over, and the commands the
/// page sent that the plugin has not necessarily read yet. All members are thread-safe (one lock, held only for
/// short copies); waiting is done on tasks that complete when something changes, never by polling.
/// </summary>
public sealed class InstanceSession
{
    private readonly object _gate = new();
    private readonly SessionLimits _limits;
    private readonly Func<long> _nextRevision;
    private readonly Func<string, Uri> _audioUrl;
    private readonly LinkedList<SessionCommand> _commands = new();
    private readonly LinkedList<(string TakeId, byte[] Wav)> _takeAudio = new();
    private TaskCompletionSource _viewChanged = NewSignal();
    private TaskCompletionSource _commandsArrived = NewSignal();
    private SessionView _view;
    private SessionView _published;
    private long _lastSequence;
    private long _takeBytes;
    private long _lastContactTicks;
    private int _activePolls;
    private bool _closed;

    internal InstanceSession(Guid instanceId, string? hostName, string? title, Uri controlUrl, SessionLimits limits,
        Func<long> nextRevision, Func<string, Uri> audioUrl, DateTimeOffset now)
    {
        InstanceId = instanceId;
        ControlUrl = controlUrl;
        OpenedAt = now;
        _limits = limits;
        _nextRevision = nextRevision;
        _audioUrl = audioUrl;
        HostName = hostName;
        Title = title;
        _view = new SessionView { HostName = hostName };
        _published = _view with { Revision = nextRevision() };
        _lastContactTicks = now.UtcTicks;
    }

    /// <summary>The instance (also the secret part of <see cref="ControlUrl"/>).</summary>
    public Guid InstanceId { get; }

    /// <summary>The page address.</summary>
    public Uri ControlUrl { get; }

    /// <summary>When the instance first opened this session.</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>The host's name from <c>open</c>.</summary>
    public string? HostName { get; private set; }

    /// <summary>The instance's label from <c>open</c>.</summary>
    public string? Title { get; private set; }

    /// <summary>True once the plugin closed the instance or it expired; the page says the plugin is gone.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>The view as the page sees it: revision set, audio URLs of the takes whose audio the engine holds.</summary>
    public SessionView View
    {
        get
        {
            lock (_gate)
            {
                return _published;
            }
        }
    }

    /// <summary>The sequence number of the newest command (0 before the first).</summary>
    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>Bytes of take audio held.</summary>
    public long TakeBytes
    {
        get
        {
            lock (_gate)
            {
                return _takeBytes;
            }
        }
    }

    internal void Reopen(string? hostName, string? title, DateTimeOffset now)
    {
        lock (_gate)
        {
            HostName = hostName ?? HostName;
            Title = title ?? Title;
            Touch(now);
        }
    }

    /// <summary>Replaces the view (the plugin's <c>update</c>); returns the new revision.</summary>
    public long Update(SessionView view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(view);
        lock (_gate)
        {
            ThrowIfClosed();
            Touch(now);
            _view = view;
            return PublishLocked();
        }
    }

    /// <summary>Keeps a take's WAV for auditioning (oldest dropped beyond the limits); returns its URL.</summary>
    public Uri PutTake(string takeId, byte[] wav, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(takeId);
        ArgumentNullException.ThrowIfNull(wav);
        lock (_gate)
        {
            ThrowIfClosed();
            Touch(now);
            RemoveTakeAudioLocked(takeId);
            _takeAudio.AddLast((takeId, wav));
            _takeBytes += wav.Length;
            // Keep at least the newest take even when it alone is over the byte limit: it is what the producer wants to hear.
            while (_takeAudio.Count > 1 && (_takeAudio.Count > _limits.MaxTakesPerSession || _takeBytes > _limits.MaxTakeBytesPerSession))
            {
                _takeBytes -= _takeAudio.First!.Value.Wav.Length;
                _takeAudio.RemoveFirst();
            }
            PublishLocked();
            return _audioUrl(takeId);
        }
    }

    /// <summary>A take's WAV, or null when the engine does not hold it (never sent, dropped, or the session closed).</summary>
    public byte[]? TakeWav(string takeId)
    {
        lock (_gate)
        {
            foreach (var (id, wav) in _takeAudio)
            {
                if (id == takeId)
                {
                    return wav;
                }
            }
            return null;
        }
    }

    /// <summary>Queues a command from the page and wakes the plugin's poll; returns its sequence number.</summary>
    public long AddCommand(SessionCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        TaskCompletionSource arrived;
        long sequence;
        lock (_gate)
        {
            ThrowIfClosed();
            sequence = ++_lastSequence;
            _commands.AddLast(command with { Sequence = sequence });
            while (_commands.Count > _limits.MaxQueuedCommands)
            {
                _commands.RemoveFirst();
            }
            arrived = _commandsArrived;
            _commandsArrived = NewSignal();
        }
        arrived.TrySetResult();
        return sequence;
    }

    /// <summary>
    /// The commands after <paramref name="afterSequence"/>, oldest first, waiting up to <paramref name="wait"/> for one
    /// when none is there yet; empty when the wait ran out or the session closed. A sequence beyond the newest (the
    /// engine restarted and numbers began again at 1) is read as 0, so the plugin gets what is kept.
    /// </summary>
    public async Task<IReadOnlyList<SessionCommand>> PollAsync(long afterSequence, TimeSpan wait, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        lock (_gate)
        {
            Touch(time.GetUtcNow());
            _activePolls++;
        }
        try
        {
            while (true)
            {
                Task arrived;
                lock (_gate)
                {
                    var after = afterSequence > _lastSequence ? 0 : afterSequence;
                    var ready = _commands.Where(c => c.Sequence > after).ToArray();
                    if (ready.Length > 0 || _closed || wait <= TimeSpan.Zero)
                    {
                        return ready;
                    }
                    arrived = _commandsArrived.Task;
                }
                var started = time.GetTimestamp();
                try
                {
                    await arrived.WaitAsync(wait, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    return [];
                }
                wait -= time.GetElapsedTime(started);
            }
        }
        finally
        {
            lock (_gate)
            {
                _activePolls--;
                Touch(time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// The view once its revision is above <paramref name="afterRevision"/>, waiting up to <paramref name="wait"/>;
    /// the current view when the wait runs out. Null when the session is (or becomes) closed.
    /// </summary>
    public async Task<SessionView?> WaitForViewAsync(long afterRevision, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        Task changed;
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }
            if (_published.Revision > afterRevision || wait <= TimeSpan.Zero)
            {
                return _published;
            }
            changed = _viewChanged.Task;
        }
        try
        {
            await changed.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Answer the current view; the page asks again.
        }
        lock (_gate)
        {
            return _closed ? null : _published;
        }
    }

    /// <summary>True when the plugin has been silent longer than the limit and is not waiting in a poll.</summary>
    internal bool IsStale(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _activePolls == 0 && now.UtcTicks - _lastContactTicks > _limits.ExpireAfter.Ticks;
        }
    }

    /// <summary>Ends the session: waiting pages and polls return, take audio is released.</summary>
    internal void Close()
    {
        TaskCompletionSource view, commands;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            _takeAudio.Clear();
            _takeBytes = 0;
            _commands.Clear();
            view = _viewChanged;
            commands = _commandsArrived;
        }
        view.TrySetResult();
        commands.TrySetResult();
    }

    private long PublishLocked()
    {
        var takes = _view.Takes.Select(t => t with { AudioUrl = HasAudioLocked(t.Id) ? _audioUrl(t.Id) : null }).ToArray();
        _published = _view with { Takes = takes, Revision = _nextRevision(), HostName = _view.HostName ?? HostName };
        var changed = _viewChanged;
        _viewChanged = NewSignal();
        // Continuations run asynchronously (see NewSignal), so no waiter runs under this lock.
        changed.TrySetResult();
        return _published.Revision;
    }

    private bool HasAudioLocked(string takeId)
    {
        foreach (var (id, _) in _takeAudio)
        {
            if (id == takeId)
            {
                return true;
            }
        }
        return false;
    }

    private void RemoveTakeAudioLocked(string takeId)
    {
        for (var node = _takeAudio.First; node is not null; node = node.Next)
        {
            if (node.Value.TakeId == takeId)
            {
                _takeBytes -= node.Value.Wav.Length;
                _takeAudio.Remove(node);
                return;
            }
        }
    }

    private void Touch(DateTimeOffset now) => _lastContactTicks = Math.Max(_lastContactTicks, now.UtcTicks);

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new SessionClosedException(InstanceId);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The instance's session was closed (by the plugin or because it expired).</summary>
public sealed class SessionClosedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionClosedException(Guid instanceId)
        : base($"Plugin instance {instanceId} is not connected: its session was closed or expired. Open it again.") => InstanceId = instanceId;

    /// <summary>The instance.</summary>
    public Guid InstanceId { get; }
}
