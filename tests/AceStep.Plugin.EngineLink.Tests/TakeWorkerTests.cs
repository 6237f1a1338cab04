namespace AceStep.Plugin.EngineLink.Tests;

public sealed class TakeWorkerTests
{
    private const int Rate = 44_100;

    private static float[] Clip(int frames)
    {
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
            samples[2 * i] = samples[(2 * i) + 1] = 0.3f * MathF.Sin(2 * MathF.PI * 220 * i / Rate);
        return samples;
    }

    private static TakeRequest Repaint(long clipStart, int clipFrames, long rangeStart, long rangeEnd, int steps = 4) => new()
    {
        Mode = TakeMode.Repaint,
        Prompt = "warm synth-pop",
        SampleRate = Rate,
        ClipStart = clipStart,
        Clip = Clip(clipFrames),
        RangeStart = rangeStart,
        RangeEnd = rangeEnd,
        Steps = steps,
        Context = new MusicalContext(120.4, 4, 4),
    };

    private static async Task<(TakeWorker Worker, List<Take> Takes, EngineConnector Connector)> WorkerAsync(EngineLinkOptions options)
    {
        var takes = new List<Take>();
        var connector = new EngineConnector(options);
        await Task.CompletedTask;
        return (new TakeWorker(connector, takes.Add), takes, connector);
    }

    [Fact]
    public async Task A_repaint_comes_back_as_a_take_covering_exactly_the_range_at_its_project_position()
    {
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;

        // The clip was captured from project sample 1 000 000; the range is 2.0–3.3 s into it (not on any grid).
        var request = Repaint(1_000_000, 6 * Rate + 123, 1_000_000 + (2 * Rate), 1_000_000 + (3 * Rate) + 13_230);
        Assert.True(worker.TryStart(request));
        Assert.False(worker.TryStart(request), "One take at a time.");
        await worker.Completion;

        Assert.Equal(TakeState.Done, worker.Status.State);
        var take = Assert.Single(takes);
        Assert.Equal(request.RangeStart, take.Start);
        Assert.Equal(request.RangeEnd - request.RangeStart, take.Frames);
        Assert.Contains(take.Audio, s => s != 0f);
        engine.DeleteHome();
    }

    [Fact]
    public async Task A_turbo_take_is_accepted_by_the_engine()
    {
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;
        var request = new TakeRequest
        {
            Mode = TakeMode.Generate, Prompt = "drum loop", SampleRate = 48_000, ClipStart = 0, Clip = [],
            RangeStart = 0, RangeEnd = 48_000 * 7, Turbo = true,
        };
        Assert.True(worker.TryStart(request));
        await worker.Completion;
        Assert.Equal(TakeState.Done, worker.Status.State);
        Assert.Equal(48_000 * 7, Assert.Single(takes).Frames);
        engine.DeleteHome();
    }

    [Fact]
    public async Task Generate_fills_the_range_even_when_it_is_shorter_than_the_engines_minimum()
    {
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;
        var request = new TakeRequest
        {
            Mode = TakeMode.Generate, Prompt = "drum loop", SampleRate = Rate, ClipStart = 0, Clip = [],
            RangeStart = 48_000, RangeEnd = 48_000 + (2 * Rate), Steps = 2,
        };
        Assert.True(worker.TryStart(request));
        await worker.Completion;
        Assert.Equal(TakeState.Done, worker.Status.State);
        Assert.Equal(2 * Rate, Assert.Single(takes).Frames);
        engine.DeleteHome();
    }

    [Fact]
    public async Task An_engine_refusal_is_shown_in_words_with_the_field_and_no_take_is_made()
    {
        // Input tried: steps 0 (the engine accepts 1–300).
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;
        Assert.True(worker.TryStart(Repaint(0, 6 * Rate, Rate, 2 * Rate, steps: 0)));
        await worker.Completion;
        Assert.Equal(TakeState.Failed, worker.Status.State);
        Assert.Contains("steps", worker.Status.Message, StringComparison.Ordinal);
        Assert.Empty(takes);
        engine.DeleteHome();
    }

    [Fact]
    public async Task A_range_outside_the_captured_audio_fails_before_anything_is_sent()
    {
        // Input tried: a range ending after the captured clip.
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;
        Assert.True(worker.TryStart(Repaint(0, 2 * Rate, Rate, 3 * Rate)));
        await worker.Completion;
        Assert.Equal(TakeState.Failed, worker.Status.State);
        Assert.Contains("not inside the captured audio", worker.Status.Message, StringComparison.Ordinal);
        Assert.Empty(takes);
        engine.DeleteHome();
    }

    [Fact]
    public async Task Without_an_engine_and_nothing_to_start_it_the_producer_is_told_so()
    {
        var (worker, _, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = ToneEngine.NewPipeName(), StartTimeout = TimeSpan.Zero });
        await using var c = connector;
        await using var w = worker;
        Assert.True(worker.TryStart(Repaint(0, 6 * Rate, Rate, 2 * Rate)));
        await worker.Completion;
        Assert.Equal(TakeState.Failed, worker.Status.State);
        Assert.Contains("No AceStep engine is listening", worker.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_engine_is_started_when_none_answers_and_reconnected_after_it_restarts()
    {
        var pipe = ToneEngine.NewPipeName();
        var home = Path.Combine(Path.GetTempPath(), "acestep-link-" + Guid.NewGuid().ToString("N")[..10]);
        ToneEngine? engine = null;
        var starts = 0;
        var options = new EngineLinkOptions
        {
            PipeName = pipe,
            StartTimeout = TimeSpan.FromSeconds(30),
            StartEngine = () =>
            {
                starts++;
                engine = ToneEngine.StartAsync(pipe, home).GetAwaiter().GetResult();
            },
        };
        var (worker, takes, connector) = await WorkerAsync(options);
        await using var _ = connector;
        await using var __ = worker;

        Assert.True(worker.TryStart(Repaint(0, 6 * Rate, Rate, 2 * Rate)));
        await worker.Completion;
        Assert.Equal((TakeState.Done, 1), (worker.Status.State, starts));

        // The engine goes away (crash, update); the next take starts it again and gets through.
        await engine!.DisposeAsync();
        Assert.True(worker.TryStart(Repaint(0, 6 * Rate, 2 * Rate, 3 * Rate)));
        await worker.Completion;
        Assert.Equal((TakeState.Done, 2), (worker.Status.State, starts));
        Assert.Equal(2, takes.Count);
        await engine.DisposeAsync();
        engine.DeleteHome();
    }

    [Fact]
    public async Task Cancelling_a_running_take_ends_it_as_cancelled_without_a_take()
    {
        await using var engine = await ToneEngine.StartAsync(msPerStep: 200);
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;
        Assert.True(worker.TryStart(Repaint(0, 6 * Rate, Rate, 2 * Rate, steps: 100)));
        while (worker.Status.State != TakeState.Running || worker.Status.Progress <= 0)
            await Task.Delay(20);
        worker.Cancel();
        await worker.Completion;
        Assert.Equal(TakeState.Cancelled, worker.Status.State);
        Assert.Empty(takes);
        engine.DeleteHome();
    }

    [Fact]
    public async Task A_lego_take_lands_at_the_range_with_the_same_placement_as_a_repaint()
    {
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;

        // The same off-grid range as the repaint test, as "add a drums part".
        var request = Repaint(1_000_000, 6 * Rate + 123, 1_000_000 + (2 * Rate), 1_000_000 + (3 * Rate) + 13_230) with
        {
            Mode = TakeMode.Lego, TrackName = "drums",
        };
        Assert.True(worker.TryStart(request));
        await worker.Completion;

        Assert.True(worker.Status.State == TakeState.Done, worker.Status.Message);
        var take = Assert.Single(takes);
        Assert.Equal(0, take.Start - request.RangeStart);
        Assert.Equal(request.RangeEnd - request.RangeStart, take.Frames);
        Assert.Contains(take.Audio, s => s != 0f);
        engine.DeleteHome();
    }

    [Theory]
    [InlineData(TakeMode.Extract)]
    [InlineData(TakeMode.Complete)]
    public async Task Extract_and_complete_takes_replace_the_whole_range(TakeMode mode)
    {
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;

        var request = Repaint(500_000, 5 * Rate, 500_000 + Rate, 500_000 + (3 * Rate) + 7) with
        {
            Mode = mode, TrackName = "bass", TrackClasses = mode == TakeMode.Complete ? ["drums", "bass"] : [],
        };
        Assert.True(worker.TryStart(request));
        await worker.Completion;

        Assert.True(worker.Status.State == TakeState.Done, worker.Status.Message);
        var take = Assert.Single(takes);
        Assert.Equal(request.RangeStart, take.Start);
        Assert.Equal(request.RangeEnd - request.RangeStart, take.Frames);
        engine.DeleteHome();
    }

    [Theory]
    [InlineData(TakeMode.Extract)]
    [InlineData(TakeMode.Lego)]
    [InlineData(TakeMode.Complete)]
    public async Task A_stem_take_without_a_prompt_is_made(TakeMode mode)
    {
        // Input tried: the stem modes with an empty prompt (the producer only chose the part).
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;

        var request = Repaint(500_000, 5 * Rate, 500_000 + Rate, 500_000 + (3 * Rate)) with { Mode = mode, TrackName = "drums", Prompt = "" };
        Assert.True(worker.TryStart(request));
        await worker.Completion;

        Assert.True(worker.Status.State == TakeState.Done, worker.Status.Message);
        Assert.Equal(request.RangeEnd - request.RangeStart, Assert.Single(takes).Frames);
        engine.DeleteHome();
    }

    [Fact]
    public async Task A_repaint_without_a_prompt_is_refused_by_the_engine_naming_the_prompt()
    {
        // Input tried: a repaint with an empty prompt (the page and the trigger stop it earlier; this is the engine's word).
        await using var engine = await ToneEngine.StartAsync();
        var (worker, takes, connector) = await WorkerAsync(new EngineLinkOptions { PipeName = engine.PipeName });
        await using var _ = connector;
        await using var __ = worker;
        Assert.True(worker.TryStart(Repaint(0, 6 * Rate, Rate, 2 * Rate) with { Prompt = "" }));
        await worker.Completion;
        Assert.Equal(TakeState.Failed, worker.Status.State);
        Assert.Contains("positivePrompt", worker.Status.Message, StringComparison.Ordinal);
        Assert.Empty(takes);
        engine.DeleteHome();
    }
}

public class TaskBuilderTests
{
    [Fact]
    public void A_stem_job_without_a_prompt_sends_no_caption_and_the_other_tasks_always_send_theirs()
    {
        var extract = new TakeRequest
        {
            Mode = TakeMode.Extract, TrackName = "drums", Prompt = "", SampleRate = 48_000, ClipStart = 0, Clip = new float[48_000 * 4 * 2],
            RangeStart = 48_000, RangeEnd = 96_000,
        };
        Assert.False(TaskBuilder.Build(extract, Guid.NewGuid(), 1).Task.ContainsKey("positivePrompt"));
        Assert.Equal("tight drums", (string)TaskBuilder.Build(extract with { Prompt = "tight drums" }, Guid.NewGuid(), 1).Task["positivePrompt"]!);
        // A repaint's empty prompt goes as it is: the engine answers invalidPositivePrompt, naming the field.
        Assert.Equal("", (string)TaskBuilder.Build(extract with { Mode = TakeMode.Repaint }, Guid.NewGuid(), 1).Task["positivePrompt"]!);
    }

    [Theory]
    [InlineData(4, 4, 4)]
    [InlineData(3, 4, 3)]
    [InlineData(6, 8, 6)]
    [InlineData(2, 4, 2)]
    public void Meters_the_model_knows_are_passed_on(int numerator, int denominator, int expected) =>
        Assert.Equal(expected, TaskBuilder.TimeSignature(numerator, denominator));

    [Theory]
    [InlineData(7, 8)]
    [InlineData(5, 4)]
    [InlineData(12, 8)]
    public void Other_meters_are_left_to_the_model(int numerator, int denominator) =>
        Assert.Null(TaskBuilder.TimeSignature(numerator, denominator));

    [Fact]
    public void Turbo_asks_for_the_turbo_model_and_leaves_the_step_count_to_its_schedule()
    {
        var request = new TakeRequest
        {
            Mode = TakeMode.Generate, Prompt = "p", SampleRate = 48_000, ClipStart = 0, Clip = [],
            RangeStart = 0, RangeEnd = 48_000 * 8, Steps = 32,
        };
        var (baseTask, _) = TaskBuilder.Build(request, Guid.NewGuid(), 1);
        Assert.Equal(TaskBuilder.Model, (string)baseTask["model"]!);
        Assert.Equal(32, (int)baseTask["steps"]!);

        var (turboTask, _) = TaskBuilder.Build(request with { Turbo = true }, Guid.NewGuid(), 1);
        Assert.Equal("runware:ace-step@v1.5-turbo", (string)turboTask["model"]!);
        Assert.False(turboTask.ContainsKey("steps"), "the turbo model runs its own 8-step schedule");
    }

    [Fact]
    public void A_repaint_sends_the_range_in_seconds_into_the_clip_and_asks_for_pcm_at_the_host_rate()
    {
        var request = new TakeRequest
        {
            Mode = TakeMode.Repaint, Prompt = "p", SampleRate = 96_000, ClipStart = 960_000, Clip = new float[96_000 * 10 * 2],
            RangeStart = 960_000 + 192_000, RangeEnd = 960_000 + 240_000, KeyScale = "F# minor", Context = new MusicalContext(87.6, 6, 8),
        };
        var (task, attachment) = TaskBuilder.Build(request, Guid.NewGuid(), 7);
        Assert.Equal(2.0, (double)task["settings"]!["repaintingStart"]!);
        Assert.Equal(2.5, (double)task["settings"]!["repaintingEnd"]!);
        Assert.Equal(88, (int)task["settings"]!["bpm"]!);
        Assert.Equal(6, (int)task["settings"]!["timeSignature"]!);
        Assert.Equal("F# minor", (string)task["settings"]!["keyScale"]!);
        Assert.Equal("attachment:7", (string)task["inputs"]!["audio"]!);
        Assert.Equal(96_000, (int)task["audioSettings"]!["sampleRate"]!);
        Assert.Equal((96_000, 2), (attachment!.Info.SampleRate, attachment.Info.Channels));
    }

    [Fact]
    public void A_lego_request_carries_the_task_the_track_and_the_range_as_its_span()
    {
        var request = new TakeRequest
        {
            Mode = TakeMode.Lego, TrackName = "bass", Prompt = "p", SampleRate = 48_000, ClipStart = 480_000, Clip = new float[48_000 * 8 * 2],
            RangeStart = 480_000 + 96_000, RangeEnd = 480_000 + 240_000, Strength = 0.7,
        };
        var (task, _) = TaskBuilder.Build(request, Guid.NewGuid(), 3);
        var settings = task["settings"]!;
        Assert.Equal("lego", (string)settings["task"]!);
        Assert.Equal("bass", (string)settings["trackName"]!);
        Assert.Equal(2.0, (double)settings["repaintingStart"]!);
        Assert.Equal(5.0, (double)settings["repaintingEnd"]!);
        Assert.Equal(0.7, (double)task["strength"]!);
        Assert.Null(settings["coverConditioningScale"]);
    }

    [Fact]
    public void Extract_and_complete_send_no_span_and_no_strength_which_the_task_api_refuses_with_them()
    {
        var extract = new TakeRequest
        {
            Mode = TakeMode.Extract, TrackName = "vocals", Prompt = "p", SampleRate = 48_000, ClipStart = 0, Clip = new float[48_000 * 4 * 2],
            RangeStart = 48_000, RangeEnd = 96_000,
        };
        var (task, _) = TaskBuilder.Build(extract, Guid.NewGuid(), 1);
        Assert.Equal("extract", (string)task["settings"]!["task"]!);
        Assert.Equal("vocals", (string)task["settings"]!["trackName"]!);
        Assert.Null(task["settings"]!["repaintingStart"]);
        Assert.Null(task["strength"]);

        var (complete, _) = TaskBuilder.Build(extract with { Mode = TakeMode.Complete, TrackClasses = ["drums", "keyboard"] }, Guid.NewGuid(), 2);
        Assert.Equal("complete", (string)complete["settings"]!["task"]!);
        Assert.Null(complete["settings"]!["trackName"]);
        Assert.Equal(["drums", "keyboard"], complete["settings"]!["trackClasses"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void An_empty_range_is_refused_with_what_to_do()
    {
        // Input tried: a range whose end equals its start (no loop range and no bars set).
        var request = new TakeRequest { Mode = TakeMode.Generate, Prompt = "p", SampleRate = 48_000, ClipStart = 0, Clip = [], RangeStart = 10, RangeEnd = 10 };
        Assert.Contains("loop/cycle range", Assert.Throws<ArgumentException>(() => TaskBuilder.Build(request, Guid.NewGuid(), 1)).Message, StringComparison.Ordinal);
    }
}
