using System.Collections.Concurrent;
using AceStep.Contracts.Sessions;
using AceStep.Engine.Host.Delivery;

namespace AceStep.Engine.Host.Sessions;

/// <summary>
/// The open plugin instances, by instance id. Sessions live in memory only: they are opened by the plugin's
/// <c>open</c>, closed by its <c>close</c>, and closed by a timer when the plugin has been silent longer than
/// <see cref="SessionLimits.ExpireAfter"/> (a crashed host never says goodbye). An expired session's labels and last
/// view are remembered (at most <see cref="SessionLimits.MaxSessions"/> of them), so a plugin that was only asleep —
/// a suspended laptop, a host stalled in a dialog — is revived by its next operation instead of being refused.
/// </summary>
public sealed class SessionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<Guid, InstanceSession> _sessions = new();
    private readonly EngineAddress _address;
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private readonly object _openGate = new();
    private readonly Dictionary<Guid, (string? HostName, string? Title, SessionView View)> _expired = [];
    private readonly Queue<Guid> _expiredOrder = new();
    private long _revision;

    /// <summary>Creates the registry and starts its expiry timer.</summary>
    public SessionRegistry(EngineAddress address, TimeProvider time, SessionLimits limits)
    {
        _address = address;
        _time = time;
        Limits = limits;
        var period = limits.ExpireAfter / 4;
        _sweeper = time.CreateTimer(_ => CloseExpired(), null, period, period);
    }

    /// <summary>The bounds sessions keep to.</summary>
    public SessionLimits Limits { get; }

    /// <summary>The clock sessions wait on.</summary>
    public TimeProvider Time => _time;

    /// <summary>Open sessions, oldest first.</summary>
    public IReadOnlyList<InstanceSession> OpenSessions() =>
        [.. _sessions.Values.Where(s => !s.IsClosed).OrderBy(s => s.OpenedAt)];

    /// <summary>Opens the instance's session, or refreshes it when it is open already (a plugin reconnecting keeps its state).</summary>
    /// <exception cref="SessionLimitException">As many instances as <see cref="SessionLimits.MaxSessions"/> are open.</exception>
    public InstanceSession Open(Guid instanceId, string? hostName, string? title)
    {
        var now = _time.GetUtcNow();
        lock (_openGate)
        {
            if (_sessions.TryGetValue(instanceId, out var existing) && !existing.IsClosed)
            {
                existing.Reopen(hostName, title, now);
                return existing;
            }
            if (_sessions.Count >= Limits.MaxSessions)
            {
                throw new SessionLimitException(
                    $"The engine already serves {Limits.MaxSessions} plugin instances' control pages; close some instances first.");
            }
            var session = new InstanceSession(instanceId, hostName, title, ControlUrl(instanceId), Limits,
                () => Interlocked.Increment(ref _revision), takeId => AudioUrl(instanceId, takeId), now);
            _sessions[instanceId] = session;
            _expired.Remove(instanceId);
            return session;
        }
    }

    /// <summary>
    /// The instance's open session, or its expired session opened again with its last view (take audio and unread
    /// commands are gone); null when the instance never opened or said <c>close</c>.
    /// </summary>
    public InstanceSession? FindOrRevive(Guid instanceId)
    {
        if (Find(instanceId) is { } open)
        {
            return open;
        }
        (string? HostName, string? Title, SessionView View) expired;
        lock (_openGate)
        {
            if (!_expired.TryGetValue(instanceId, out expired))
            {
                return null;
            }
        }
        var session = Open(instanceId, expired.HostName, expired.Title);
        session.Update(expired.View, _time.GetUtcNow());
        return session;
    }

    /// <summary>The open session of the instance, or null.</summary>
    public InstanceSession? Find(Guid instanceId) =>
        _sessions.TryGetValue(instanceId, out var session) && !session.IsClosed ? session : null;

    /// <summary>Closes the instance's session; false when none was open.</summary>
    public bool Close(Guid instanceId)
    {
        lock (_openGate)
        {
            _expired.Remove(instanceId);
        }
        if (!_sessions.TryRemove(instanceId, out var session))
        {
            return false;
        }
        session.Close();
        return true;
    }

    /// <summary>Closes every session whose plugin has gone silent; returns how many.</summary>
    public int CloseExpired()
    {
        var now = _time.GetUtcNow();
        var closed = 0;
        foreach (var (id, session) in _sessions)
        {
            if (session.IsStale(now) && _sessions.TryRemove(new KeyValuePair<Guid, InstanceSession>(id, session)))
            {
                Remember(id, session);
                session.Close();
                closed++;
            }
        }
        return closed;
    }

    private void Remember(Guid id, InstanceSession session)
    {
        var view = session.View;
        lock (_openGate)
        {
            _expired[id] = (session.HostName, session.Title, view with { Takes = [.. view.Takes.Select(t => t with { AudioUrl = null })] });
            _expiredOrder.Enqueue(id);
            while (_expired.Count > Limits.MaxSessions && _expiredOrder.TryDequeue(out var oldest))
            {
                _expired.Remove(oldest);
            }
            if (_expiredOrder.Count > 2 * Limits.MaxSessions)
            {
                // Revived and re-expired ids leave stale entries behind; keep the queue as small as the memory it orders.
                var live = _expiredOrder.Reverse().Distinct().Where(_expired.ContainsKey).Reverse().ToArray();
                _expiredOrder.Clear();
                foreach (var kept in live)
                {
                    _expiredOrder.Enqueue(kept);
                }
            }
        }
    }

    /// <summary>The page address of an instance.</summary>
    public Uri ControlUrl(Guid instanceId) => new(_address.HttpBase, $"control/{instanceId:D}");

    /// <summary>Where the page fetches a take's WAV.</summary>
    public Uri AudioUrl(Guid instanceId, string takeId) =>
        new(_address.HttpBase, $"control/{instanceId:D}/takes/{Uri.EscapeDataString(takeId)}.wav");

    /// <inheritdoc />
    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var id in _sessions.Keys)
        {
            Close(id);
        }
    }
}

/// <summary>The engine holds as many sessions as it allows.</summary>
public sealed class SessionLimitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionLimitException(string message) : base(message)
    {
    }
}
