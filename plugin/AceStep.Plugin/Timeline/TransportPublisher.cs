namespace AceStep.Plugin.Timeline;

/// <summary>
/// Hands the latest <see cref="TransportSnapshot"/> from the audio thread to any other thread without a lock: the
/// writer bumps a sequence number to odd, stores the snapshot, and bumps it back to even; a reader copies the snapshot
/// between two reads of the number and tries again if it changed. The writer never waits.
/// </summary>
internal sealed class TransportPublisher
{
    private const int MaxAttempts = 64;

    private TransportSnapshot _snapshot;
    private int _sequence;

    /// <summary>Whether any snapshot has been published.</summary>
    public bool HasSnapshot => Volatile.Read(ref _sequence) != 0;

    /// <summary>Publishes a snapshot (audio thread; one writer only).</summary>
    /// <param name="snapshot">The block's snapshot.</param>
    public void Publish(in TransportSnapshot snapshot)
    {
        int sequence = _sequence;
        Volatile.Write(ref _sequence, sequence + 1);
        // The fence keeps the snapshot's stores after the odd number is visible.
        Interlocked.MemoryBarrier();
        _snapshot = snapshot;
        Volatile.Write(ref _sequence, sequence + 2);
    }

    /// <summary>Copies the latest snapshot (any thread but the audio thread).</summary>
    /// <param name="snapshot">The snapshot, or default.</param>
    /// <returns>False when nothing was published yet, or the writer kept it busy for every attempt.</returns>
    public bool TryRead(out TransportSnapshot snapshot)
    {
        var spinner = default(SpinWait);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int before = Volatile.Read(ref _sequence);
            if (before == 0)
            {
                break;
            }

            if ((before & 1) == 0)
            {
                snapshot = _snapshot;
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _sequence) == before)
                {
                    return true;
                }
            }

            spinner.SpinOnce();
        }

        snapshot = default;
        return false;
    }
}
