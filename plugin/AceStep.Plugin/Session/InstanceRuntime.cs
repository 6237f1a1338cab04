using System.Collections.Concurrent;
using AceStep.Contracts.Sessions;
using AceStep.Pipes;
using AceStep.Plugin.Capture;
using AceStep.Plugin.EngineLink;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.Processing;
using AceStep.Plugin.State;
using AceStep.Plugin.Timeline;
using EngineTake = AceStep.Plugin.EngineLink.Take;
using PlaybackTake = AceStep.Plugin.Playback.Take;

namespace AceStep.Plugin.Session;

/// <summary>
/// Everything slow an instance does, on one worker loop: it notices the Generate and Open Control Page triggers the
/// audio thread counted, reads the capture around the range, runs the take through the engine (<see cref="TakeWorker"/>),
/// puts the finished take into a slot, saves it as a WAV file (and, in REAPER, queues its insert as an item), and keeps
/// the control page (<see cref="SessionClient"/>) up to date while executing the page's commands. Created with the
/// processor, started by setActive, stopped by terminate; the audio thread never waits for it.
/// </summary>
/// <remarks>The disposable parts (connection, worker, wake-up semaphore) are disposed by the loop itself when it ends
/// (<see cref="Stop"/> only signals it), so that terminate never blocks the host's main thread.</remarks>
#pragma warning disable CA1001 // Disposed by the loop's own ending (ShutDownAsync), see remarks.
internal sealed class InstanceRuntime
#pragma warning restore CA1001
{
    /// <summary>How often the loop looks at the trigger counters when nothing wakes it.</summary>
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(40);

    /// <summary>At most four view updates a second.</summary>
    private static readonly TimeSpan s_updateInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Audio around the range sent with a repaint or cover, each side, so the engine hears the context.</summary>
    private const double ContextSeconds = 10;

    private readonly AceStepProcessor _processor;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly ConcurrentQueue<SessionCommand> _commands = new();
    private readonly ConcurrentQueue<EngineTake> _finished = new();
    private readonly object _gate = new();
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;
    private EngineConnector? _connector;
    private TakeWorker? _worker;
    private SessionClient? _session;
    private Task _sessionTask = Task.CompletedTask;
    private Task _updateTask = Task.CompletedTask;
    private JobContext? _job;
    private SessionJob? _ownStatus;
    private long _seenGenerate;
    private long _seenOpenPage;
    private object? _lastViewKey;
    private DateTime _lastUpdate;
    private SessionWaveform? _captureWave;
    private (long Start, long End) _captureWaveRange;
    private DateTime _captureWaveAt;
    private string? _controlUrl;

    private readonly PageCommandPoller _poller;
    private readonly TakeAudioSync _audio;
    private int _editors;
    private int _pageRequested;
    private EditorFeed? _editorFeed;

    public InstanceRuntime(AceStepProcessor processor)
    {
        _processor = processor;
        _poller = new PageCommandPoller(_commands, Wake);
        _audio = new TakeAudioSync(processor.Library);
    }

    /// <summary>The control page address once a session is open (shown as the Open Control Page parameter's text).</summary>
    public string? ControlUrl => Volatile.Read(ref _controlUrl);

    /// <summary>The current or last job as the producer sees it (any thread).</summary>
    public SessionJob Job => Volatile.Read(ref _ownStatus) ?? FromWorker(_worker?.Status ?? TakeStatus.Idle);

    /// <summary>Whether the loop runs (the host activated the plugin).</summary>
    public bool IsRunning => Volatile.Read(ref _stop) is not null;

    /// <summary>The latest view for the plugin's editor (built while an editor is open), or null.</summary>
    public EditorFeed? EditorFeed => Volatile.Read(ref _editorFeed);

    /// <summary>An editor opened (UI thread): the loop builds views for it from now on.</summary>
    public void EditorOpened()
    {
        Interlocked.Increment(ref _editors);
        _lastViewKey = null;
        Wake();
    }

    /// <summary>An editor closed (UI thread).</summary>
    public void EditorClosed() => Interlocked.Decrement(ref _editors);

    /// <summary>A command from the editor, handled by the loop exactly like one from the control page.</summary>
    public void Post(SessionCommand command)
    {
        _commands.Enqueue(command);
        Wake();
    }

    /// <summary>Opens the control page in the browser (the editor's "Open the full page"), as the parameter does.</summary>
    public void RequestPage()
    {
        Interlocked.Exchange(ref _pageRequested, 1);
        Wake();
    }

    /// <summary>Starts the loop (setActive); does nothing when it runs already.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_stop is not null)
                return;
            _stop = new CancellationTokenSource();
            // Triggers counted before the loop ran (none can be: the audio thread runs after setActive) start nothing.
            _seenGenerate = _processor.GenerateTriggers;
            _seenOpenPage = _processor.OpenPageTriggers;
            _connector = new EngineConnector(LinkSettings.EngineOptions());
            _worker = new TakeWorker(_connector, take =>
            {
                _finished.Enqueue(take);
                Wake();
            });
            var token = _stop.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Stops the loop (terminate): cancels a running take, says goodbye to the page, drops the connection. Does not wait.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_stop is not { } stop)
                return;
            _stop = null;
            stop.Cancel();
            Wake();
        }
    }

    /// <summary>Wakes the loop now (a command arrived, the host restored a state).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake enough.
        }
    }

    private async Task RunAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await _wake.WaitAsync(s_tick, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                try
                {
                    Tick(token);
                }
#pragma warning disable CA1031 // The loop must survive anything one step throws; the producer sees the message.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    Fail("Something went wrong: " + e.Message);
                }
            }
        }
        finally
        {
            await ShutDownAsync().ConfigureAwait(false);
        }
    }

    private void Tick(CancellationToken token)
    {
        _processor.Library.LoadRestored();

        long generate = _processor.GenerateTriggers;
        if (generate != _seenGenerate)
        {
            _seenGenerate = generate;
            // Back to Off, so one click on the host's switch is one take (and a host randomising parameters has no
            // switch left On to re-trigger).
            _processor.SetParameterFromWorker(ParameterId.Generate, 0);
            // A press while a take is being made (a host whose automation holds the switch On presses again as soon
            // as it follows the switch back to Off) changes nothing; the page's Generate says why.
            if (_worker?.Completion.IsCompleted != false)
                StartTake(CurrentSettings());
        }

        long openPage = _processor.OpenPageTriggers;
        if (openPage != _seenOpenPage || Interlocked.Exchange(ref _pageRequested, 0) != 0)
        {
            if (openPage != _seenOpenPage)
                _processor.SetParameterFromWorker(ParameterId.OpenPage, 0);
            _seenOpenPage = openPage;
            if (_sessionTask.IsCompleted)
                _sessionTask = OpenPageAsync(launchBrowser: true, token);
        }

        while (_commands.TryDequeue(out var command))
            Handle(command);
        while (_finished.TryDequeue(out var take))
            Finish(take);
        _processor.Reaper?.RefreshSelection();
        if (_session is { IsOpen: true } session && _sessionTask.IsCompleted && !token.IsCancellationRequested)
        {
            // Restarts the poller should it ever have ended (the page's buttons would go dead), and gives the page the
            // audio of takes it cannot audition yet.
            _poller.Follow(session, token);
            _audio.Sync(session, token);
        }
        PublishViewIfDue(token);
    }

    private SessionSettings CurrentSettings() => SettingsMapping.From(_processor.Plain, _processor.Texts);

    /// <summary>Reads the capture around the range and hands the take to the engine; a reason in words when it cannot.</summary>
    private void StartTake(SessionSettings settings)
    {
        if (_worker is not { } worker)
            return;
        if (!worker.Completion.IsCompleted)
        {
            Fail("A take is already being made; cancel it or wait for it.");
            return;
        }

        var mode = SettingsMapping.Mode(settings);
        bool stemJob = TaskBuilder.StemTask(mode) is not null;
        int promptLength = settings.Prompt.Trim().Length;
        if (!stemJob && promptLength < 2)
        {
            // The engine needs a caption; the generic parameter UI cannot hold text, the control page can.
            Fail("Write a prompt first: switch Open Control Page on and type it on the page.");
            return;
        }

        if (stemJob && promptLength == 1)
        {
            // A stem job's instruction names the part, so its caption may be empty; one given is 2–3000 characters.
            Fail($"The prompt \"{settings.Prompt.Trim()}\" is too short: write at least 2 characters, or leave it empty (the mode and the part say what to make).");
            return;
        }

        var range = _processor.ResolveJobRange();
        if (range.Source == JobRangeSource.Unresolved || range.LengthSamples <= 0)
        {
            Fail("No range yet: play the project through the plugin with a loop/cycle range, or set Start Bar and Length.");
            return;
        }

        double rate = _processor.Setup.SampleRate;
        if (!(rate > 0) || _processor.Capture.Store is not { } store)
        {
            Fail("The plugin is not processing audio yet.");
            return;
        }

        long clipStart = range.StartSamples;
        float[] clip = [];
        int channels = store.Channels;
        if (mode != TakeMode.Generate)
        {
            var covered = CaptureReader.CoveredRanges(store, range.StartSamples, range.EndSamples + 1)
                .FirstOrDefault(r => r.Start <= range.StartSamples && r.End >= range.EndSamples);
            var stretch = CaptureReader.CoveredRanges(store, Math.Max(0, range.StartSamples - (long)(ContextSeconds * rate)),
                    range.EndSamples + (long)(ContextSeconds * rate))
                .FirstOrDefault(r => r.Start <= range.StartSamples && r.End >= range.EndSamples);
            if (covered == default || stretch == default)
            {
                Fail($"The range {Seconds(range.StartSamples, rate)}–{Seconds(range.EndSamples, rate)} has not been played through the plugin yet: play it once, then generate.");
                return;
            }

            clipStart = stretch.Start;
            long frames = stretch.End - stretch.Start;
            clip = new float[frames * channels];
            var read = CaptureReader.Read(store, clipStart, (int)frames, clip);
            if (read.Status is CaptureReadStatus.Changed)
                read = CaptureReader.Read(store, clipStart, (int)frames, clip);
            if (read.Status is not CaptureReadStatus.Complete)
            {
                Fail("The captured audio around the range changed while it was read (it is being recorded again); try again.");
                return;
            }
        }

        var transport = _processor.Transport.TryRead(out var t) ? t : default;
        bool hasTempo = (transport.Fields & TransportFields.Tempo) != 0;
        bool hasSignature = (transport.Fields & TransportFields.TimeSignature) != 0;
        var request = new TakeRequest
        {
            Mode = mode,
            TrackName = settings.TrackName,
            TrackClasses = settings.TrackClasses,
            // A stem job's blank prompt goes as no caption at all (white space alone is not a caption the engine takes).
            Prompt = stemJob && promptLength == 0 ? "" : settings.Prompt,
            Lyrics = settings.Lyrics,
            Strength = settings.Strength,
            CoverScale = settings.CoverScale,
            Steps = settings.Steps,
            Turbo = SettingsMapping.IsTurbo(settings),
            Seed = settings.Seed,
            KeyScale = settings.KeyScale.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : settings.KeyScale,
            Language = settings.Language,
            SampleRate = (int)Math.Round(rate),
            Channels = channels,
            ClipStart = clipStart,
            Clip = clip,
            RangeStart = range.StartSamples,
            RangeEnd = range.EndSamples,
            Context = new MusicalContext(settings.Bpm ?? (hasTempo ? transport.Tempo : null),
                hasSignature ? transport.Numerator : null, hasSignature ? transport.Denominator : null),
        };
        double? startPpq = range.Source == JobRangeSource.HostSelection
            ? (transport.TryPpqFromSamples(range.StartSamples, out var ppq) ? ppq : null)
            : hasTempo && hasSignature ? range.StartPpq : null;
        var job = new JobContext(settings, rate, range,
            TakeNaming.Position(hasSignature ? startPpq : null, transport.Numerator, transport.Denominator, range.StartSamples / rate));
        if (!worker.TryStart(request))
        {
            Fail("A take is already being made; cancel it or wait for it.");
            return;
        }

        Volatile.Write(ref _job, job);
        Volatile.Write(ref _ownStatus, null);
    }

    /// <summary>A finished take: into a slot (it plays from the next block), a WAV file, the page, REAPER.</summary>
    private void Finish(EngineTake take)
    {
        if (Volatile.Read(ref _job) is not { } job)
            return;
        var audio = PlaybackTake.FromInterleaved(take.Start, job.SampleRate, take.Channels, take.Audio);
        var id = Guid.NewGuid().ToString("N")[..12];
        var settings = job.Settings with { Seed = take.Seed };
        string file = "";
        string? saveProblem = null;
        try
        {
            var folder = TakesFolder();
            Directory.CreateDirectory(folder);
            file = TakeNaming.NextFreePath(folder, job.PositionName, _processor.Library.Count + 1);
            WavFile.Write(file, take.Audio, (int)Math.Round(job.SampleRate), take.Channels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            saveProblem = "The take plays but could not be saved: " + e.Message;
            file = "";
        }

        var saved = new SavedTake(id, file, take.Start, job.SampleRate, take.Channels, take.Frames, take.Seed, settings);
        _processor.Library.Add(saved, audio, Waveform.Peaks(take.Audio, take.Channels, 0, take.Frames, Waveform.TakeBuckets));
        if (saveProblem is not null)
            Fail(saveProblem);
        else if (file.Length > 0)
            _processor.Reaper?.QueueInsert(file, take.Start / job.SampleRate, take.Frames / job.SampleRate);

        if (_session is { IsOpen: true } session && _stop?.Token is { } token)
            _audio.Put(session, id, take.Audio, (int)Math.Round(job.SampleRate), take.Channels, token);
    }

    private string TakesFolder() =>
        _processor.Reaper?.ProjectFolder() is { Length: > 0 } project ? project
        : LinkSettings.TakesFolder ?? LinkSettings.DefaultTakesFolder();

    private void Handle(SessionCommand command)
    {
        switch (command.Command)
        {
            case SessionCommands.Generate:
                if (command.Settings is { } generate)
                    ApplySettings(generate);
                StartTake(CurrentSettings());
                break;
            case SessionCommands.Settings:
                if (command.Settings is { } settings)
                    ApplySettings(settings);
                break;
            case SessionCommands.Cancel:
                _worker?.Cancel();
                break;
            case SessionCommands.SelectTake:
                if (!_processor.Library.Select(command.TakeId))
                    Fail($"Take {command.TakeId} cannot be played: its file is missing or unreadable.");
                break;
            case SessionCommands.DeleteTake:
                if (command.TakeId is { } deleted)
                    _processor.Library.Delete(deleted);
                break;
            case SessionCommands.Listen:
                _processor.SetParameterFromWorker(ParameterId.Listen,
                    string.Equals(command.Listen, "original", StringComparison.OrdinalIgnoreCase) ? 0 : 1);
                break;
        }

        _lastViewKey = null;
    }

    private void ApplySettings(SessionSettings settings)
    {
        _processor.Texts = SettingsMapping.Texts(settings);
        foreach (var (id, plain) in SettingsMapping.Parameters(settings))
            _processor.SetParameterFromWorker(id, PluginParameters.All[(int)id].ToNormalized(plain));
    }

    private async Task OpenPageAsync(bool launchBrowser, CancellationToken token)
    {
        if (_connector is not { } connector)
            return;
        // A restored project may have given the instance another id since the last open: that id's page it is.
        var session = _session;
        if (session is null || session.InstanceId != _processor.InstanceId)
        {
            if (session is not null)
                await session.CloseAsync(token).ConfigureAwait(false);
            session = new SessionClient(connector, _processor.InstanceId);
            _session = session;
            Volatile.Write(ref _controlUrl, null);
        }

        try
        {
            var url = await session.OpenAsync(_processor.HostName, PageTitle(), token)
                .ConfigureAwait(false);
            Volatile.Write(ref _controlUrl, url.ToString());
            _lastViewKey = null;
            _poller.Follow(session, token);
            if (launchBrowser && LinkSettings.OpenBrowser)
                Browser.Open(url);
            Wake();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or EngineUnavailableException or SessionRefusedException or ObjectDisposedException)
        {
            Fail("The control page could not be opened: " + e.Message);
        }
    }

    /// <summary>"AceStep — Bass (Ardour)": the track tells several pages apart; the host where no track is known.</summary>
    private string PageTitle() => (_processor.Track?.Name, _processor.HostName) switch
    {
        ({ } track, { } host) => $"AceStep — {track} ({host})",
        ({ } track, null) => $"AceStep — {track}",
        (null, { } host) => $"AceStep in {host}",
        _ => "AceStep",
    };

    private void PublishViewIfDue(CancellationToken token)
    {
        var session = _session is { IsOpen: true } open ? open : null;
        bool editors = Volatile.Read(ref _editors) > 0;
        if ((session is null && !editors) || !_updateTask.IsCompleted || DateTime.UtcNow - _lastUpdate < s_updateInterval)
            return;
        var range = _processor.ResolveJobRange();
        var job = Job;
        var settings = CurrentSettings();
        double rate = _processor.Setup.SampleRate;
        var transport = _processor.Transport.TryRead(out var t) ? t : default;
        RefreshCaptureWave(range, rate);
        var key = (job, settings, _processor.Library.Version, range, rate, transport.Tempo, transport.Numerator, transport.Denominator,
            _processor.Plain(ParameterId.Listen), _captureWave, _processor.Track);
        if (Equals(key, _lastViewKey))
            return;
        _lastViewKey = key;
        _lastUpdate = DateTime.UtcNow;
        var view = ViewBuilder.Build(_processor, range, transport, job, settings, _captureWave, _processor.Library.Views());
        if (editors)
            Volatile.Write(ref _editorFeed, new EditorFeed(view, EditorFeed.Missing(_processor.Capture.Store, range, rate)));
        if (session is not null)
            _updateTask = SendViewAsync(session, view, token);
    }

    private async Task SendViewAsync(SessionClient session, SessionView view, CancellationToken token)
    {
        try
        {
            await session.UpdateAsync(view, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or EngineUnavailableException or SessionRefusedException or ObjectDisposedException or OperationCanceledException)
        {
            // Sent again with the next change (the key is forgotten so the next tick retries).
            _lastViewKey = null;
        }
    }

    // The capture's overview around the range: when the range moves, and every two seconds while audio is recorded.
    private void RefreshCaptureWave(JobRange range, double rate)
    {
        if (_processor.Capture.Store is not { } store || range.Source == JobRangeSource.Unresolved || !(rate > 0))
        {
            _captureWave = null;
            return;
        }

        long margin = Math.Min(range.LengthSamples / 2, (long)(30 * rate));
        long from = Math.Max(0, range.StartSamples - margin);
        long to = range.EndSamples + margin;
        if ((from, to) == _captureWaveRange && DateTime.UtcNow - _captureWaveAt < TimeSpan.FromSeconds(2))
            return;
        _captureWaveRange = (from, to);
        _captureWaveAt = DateTime.UtcNow;
        long frames = Math.Min(to - from, (long)(180 * rate));
        var samples = new float[frames * store.Channels];
        var read = CaptureReader.Read(store, from, (int)frames, samples);
        _captureWave = read.Status == CaptureReadStatus.Empty
            ? null
            : new SessionWaveform
            {
                Start = from / rate,
                Duration = frames / rate,
                Peaks = Waveform.Peaks(samples, store.Channels, 0, frames, Waveform.CaptureBuckets),
            };
    }

    private void Fail(string message) =>
        Volatile.Write(ref _ownStatus, new SessionJob { State = "failed", Message = message });

    private static SessionJob FromWorker(TakeStatus status) => new()
    {
        State = status.State.ToString().ToLowerInvariant(),
        Progress = status.Progress,
        Stage = status.Stage,
        Message = status.Message,
    };

    private static string Seconds(long samples, double rate) => (samples / rate).ToString("0.00s", System.Globalization.CultureInfo.InvariantCulture);

    private async Task ShutDownAsync()
    {
        try
        {
            if (_worker is { } worker)
                await worker.DisposeAsync().ConfigureAwait(false);
            if (_session is { IsOpen: true } session)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await session.CloseAsync(timeout.Token).ConfigureAwait(false);
            }

            _session?.Dispose();
            if (_connector is { } connector)
                await connector.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Shutting down: nothing may escape the worker.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>What a running job needs when its take arrives.</summary>
    private sealed record JobContext(SessionSettings Settings, double SampleRate, JobRange Range, string PositionName);
}
