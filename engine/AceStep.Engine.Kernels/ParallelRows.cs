namespace AceStep.Engine.Kernels;

/// <summary>A piece of work over a block of matrix rows [begin, end).</summary>
internal interface IRowJob
{
    void Run(int begin, int end);
}

/// <summary>
/// Splits row work across a small pool of threads that live for the process: the caller runs the first block and
/// waits for the rest. Unlike Parallel.For it allocates nothing per call (an LM step makes ~200 of these calls), and
/// its workers wait spinning briefly before sleeping, so back-to-back products find them awake. One product runs at a
/// time (a lock; the engine runs one model at a time, so it is uncontended).
/// </summary>
internal static unsafe class ParallelRows
{
    private static readonly object Gate = new();
    private static readonly Worker[] Workers = CreateWorkers(ThreadCount() - 1);

    // Reused by every call under the lock, so a call allocates nothing.
    private static readonly Countdown Done = new();

    /// <summary>Threads a product may use, the caller's included.</summary>
    public static int MaxThreads => Workers.Length + 1;

    public static void Run<TJob>(ref TJob job, int first, int count, int threads)
        where TJob : struct, IRowJob
    {
        threads = Math.Clamp(threads, 1, MaxThreads);
        if (threads == 1)
        {
            job.Run(first, first + count);
            return;
        }

        lock (Gate)
        {
            Slot<TJob>.Job = job;
            var done = Done;
            done.Reset(threads - 1);
            for (var t = 1; t < threads; t++)
                Workers[t - 1].Start(&RunSlot<TJob>, first + Bound(count, threads, t), first + Bound(count, threads, t + 1), done);
            try
            {
                job.Run(first, first + Bound(count, threads, 1));
            }
            finally
            {
                done.Wait();
                Slot<TJob>.Job = default;
            }

            done.ThrowIfFailed();
        }
    }

    // ACESTEP_KERNEL_THREADS caps the threads (default: every core).
    private static int ThreadCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("ACESTEP_KERNEL_THREADS"), out var n) && n > 0
            ? Math.Min(n, Environment.ProcessorCount)
            : Environment.ProcessorCount;

    // Block t's first row: even shares, rounded so blocks differ by at most one row.
    private static int Bound(int count, int threads, int t) => (int)((long)count * t / threads);

    private static void RunSlot<TJob>(int begin, int end)
        where TJob : struct, IRowJob => Slot<TJob>.Job.Run(begin, end);

    private static Worker[] CreateWorkers(int count)
    {
        var workers = new Worker[Math.Max(0, count)];
        for (var i = 0; i < workers.Length; i++)
            workers[i] = new Worker(i);
        return workers;
    }

    private static class Slot<TJob>
        where TJob : struct
    {
        public static TJob Job;
    }

    // Lives as long as the process, like the workers; nothing to dispose early.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Process-lifetime object.")]
    private sealed class Countdown
    {
        private readonly ManualResetEventSlim _zero = new(false, spinCount: 2000);
        private int _remaining;
        private Exception? _failure;

        public void Reset(int count)
        {
            _failure = null;
            _remaining = count;
            _zero.Reset();
        }

        public void Signal(Exception? failure)
        {
            if (failure is not null)
                Interlocked.CompareExchange(ref _failure, failure, null);
            if (Interlocked.Decrement(ref _remaining) == 0)
                _zero.Set();
        }

        public void Wait() => _zero.Wait();

        public void ThrowIfFailed()
        {
            if (_failure is { } failure)
                throw new AggregateException("A kernel worker failed.", failure);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Process-lifetime thread.")]
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false, spinCount: 2000);
        private delegate*<int, int, void> _work;
        private int _begin;
        private int _end;
        private Countdown? _done;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"AceStep kernel {index + 1}" };
            thread.Start();
        }

        public void Start(delegate*<int, int, void> work, int begin, int end, Countdown done)
        {
            _work = work;
            _begin = begin;
            _end = end;
            _done = done;
            _go.Set();
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                Exception? failure = null;
                try
                {
                    _work(_begin, _end);
                }
#pragma warning disable CA1031 // handed to the caller, which rethrows it
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = e;
                }

                _done!.Signal(failure);
            }
        }
    }
}
