using System.Collections.Concurrent;
using AceStep.Contracts.Sessions;
using AceStep.Plugin.EngineLink;

namespace AceStep.Plugin.Session;

/// <summary>
/// Long-polls the control page's commands for one instance and queues them for the worker loop. It survives anything
/// the engine does (gone, restarted, refusing): it retries, and <see cref="Follow"/> starts it again should it ever end.
/// Called from the worker loop (and the page-opening task, which the loop never runs alongside).
/// </summary>
internal sealed class PageCommandPoller(ConcurrentQueue<SessionCommand> commands, Action wake)
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(1);

    private SessionClient? _polled;
    private Task _task = Task.CompletedTask;

    /// <summary>Polls <paramref name="session"/>: starts when it polls another session or has ended, else does nothing.</summary>
    public void Follow(SessionClient session, CancellationToken token)
    {
        if (_task.IsCompleted || !ReferenceEquals(_polled, session))
        {
            _polled = session;
            _task = PollAsync(session, token);
        }
    }

    /// <summary>
    /// The first open skips commands an engine kept from an earlier life of this instance; after a re-open, numbers
    /// lower than the last handled one mean a restarted engine (start again from 0).
    /// </summary>
    private async Task PollAsync(SessionClient session, CancellationToken token)
    {
        long after = 0;
        int opens = session.OpenCount;
        bool first = true;
        while (!token.IsCancellationRequested && ReferenceEquals(_polled, session))
        {
            try
            {
                if (first || session.OpenCount != opens)
                {
                    opens = session.OpenCount;
                    var kept = await session.PollAsync(0, TimeSpan.Zero, token).ConfigureAwait(false);
                    long newest = kept.Count == 0 ? 0 : kept.Max(c => c.Sequence);
                    if (first)
                    {
                        after = newest;
                    }
                    else
                    {
                        if (newest < after)
                            after = 0;
                        after = Enqueue(kept, after);
                    }

                    first = false;
                }

                after = Enqueue(await session.PollAsync(after, s_wait, token).ConfigureAwait(false), after);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                // The engine is away, the connection broke mid-frame, or the engine refused: try again shortly (the
                // connector starts the engine again if it may). Ending here would leave the page's buttons dead.
                try
                {
                    await Task.Delay(s_retry, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private long Enqueue(IReadOnlyList<SessionCommand> received, long after)
    {
        foreach (var command in received.Where(c => c.Sequence > after).OrderBy(c => c.Sequence))
        {
            commands.Enqueue(command);
            after = command.Sequence;
        }

        if (received.Count > 0)
            wake();
        return after;
    }
}
