using System.Runtime;

namespace AceStep.Engine.Host.Http;

/// <summary>
/// Gives the memory of a large request back to the OS once it is answered. A request body of tens of MB (base64 audio,
/// a pipe attachment) leaves a few hundred MB of large-object garbage (the body, its string, the decoded bytes); the
/// GC's budgets on a machine with plenty of RAM let that sit for ever, so RSS only grew. After such a request the
/// engine runs one compacting full collection (debounced: at most one every <see cref="Interval"/>), which costs tens
/// of milliseconds on this heap and returns RSS to near its baseline (docs/security.md, "Memory").
/// </summary>
public sealed class MemoryRelief
{
    /// <summary>Requests at least this large are followed by a collection: 8 MiB.</summary>
    public const long LargeBytes = 8L * 1024 * 1024;

    /// <summary>The shortest time between two collections.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private int _scheduled;

    /// <summary>Number of collections run (tests and logs).</summary>
    public int Collections => Volatile.Read(ref _collections);

    private int _collections;

    /// <summary>Notes that a request of <paramref name="bytes"/> is done; schedules a collection when it was large.</summary>
    public void After(long bytes)
    {
        if (bytes < LargeBytes || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;   // small, or a collection is already on its way and will cover this request too
        }
        _ = Task.Run(async () =>
        {
            await Task.Delay(Interval).ConfigureAwait(false);
            Volatile.Write(ref _scheduled, 0);
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Interlocked.Increment(ref _collections);
        });
    }
}
