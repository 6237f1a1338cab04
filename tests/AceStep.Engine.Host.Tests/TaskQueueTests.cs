using AceStep.Engine.Host.Queue;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AceStep.Engine.Host.Tests;

public sealed class TaskQueueTests
{
    [Fact]
    public async Task Clients_take_turns_so_a_burst_from_one_does_not_starve_another()
    {
        var registry = new TaskRegistry(TimeProvider.System, TimeSpan.FromHours(1));
        using var queue = new TaskQueue(new QueueOptions(), registry, NullLogger<TaskQueue>.Instance);
        var order = new List<string>();
        var gate = new SemaphoreSlim(0);
        TaskRecord Task(string name, string client) => new(Guid.NewGuid(), "audioInference", client, 1, async (r, ct) =>
        {
            lock (order)
            {
                order.Add(name);
            }
            if (name == "A1")
            {
                await gate.WaitAsync(ct);
            }
            r.Succeed(0, []);
        });

        var all = new[] { Task("A1", "a"), Task("A2", "a"), Task("A3", "a"), Task("B1", "b") };
        await queue.StartAsync(CancellationToken.None);
        Assert.Equal(EnqueueOutcome.Accepted, queue.TryEnqueue(all[0]).Outcome);
        while (!all[0].Started)
        {
            await System.Threading.Tasks.Task.Delay(10);
        }
        foreach (var record in all[1..])
        {
            queue.TryEnqueue(record);
        }
        gate.Release();
        await System.Threading.Tasks.Task.WhenAll(all.Select(r => r.Finished)).WaitAsync(TimeSpan.FromSeconds(10));
        await queue.StopAsync(CancellationToken.None);

        // FIFO alone would run B1 last.
        Assert.Equal(["A1", "A2", "B1", "A3"], order);
    }

    [Fact]
    public void Finished_tasks_are_forgotten_after_the_retention_period_and_running_ones_never()
    {
        var clock = new FakeTimeProvider();
        var registry = new TaskRegistry(clock, TimeSpan.FromHours(1));
        var done = new TaskRecord(Guid.NewGuid(), "audioInference", "c", 1, (_, _) => System.Threading.Tasks.Task.CompletedTask, clock);
        var running = new TaskRecord(Guid.NewGuid(), "audioInference", "c", 1, (_, _) => System.Threading.Tasks.Task.CompletedTask, clock);
        registry.TryAdd(done);
        registry.TryAdd(running);
        done.Succeed(0, []);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(registry.Sweep());
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([done.TaskUuid], registry.Sweep());
        Assert.Null(registry.Find(done.TaskUuid));
        Assert.NotNull(registry.Find(running.TaskUuid));
    }
}
