using System.Globalization;
using System.Text.Json;
using AceStep.Plugin.Tests;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.RoundTrip.Tests;

/// <summary>
/// From the DAW to the engine and back, as a producer does it: audio plays through the plugin with a cycle range,
/// Generate is switched on, the engine (a real process with tiny models) repaints the range, and the take plays at
/// exactly the range's samples while everything outside it is the input, bit for bit; the take is saved as a WAV file
/// named by its bar, kept in the project state and played again after a restore. In REAPER (a stand-in host
/// extension) the range is the time selection, the file goes to the project folder, and it is inserted as an item on
/// the plugin's track from REAPER's main-thread timer.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class RoundTripTests : IDisposable
{
    private const uint GenerateParameter = 10;
    private readonly EngineProcess _engine;
    private readonly PluginHarness _plugin = new();
    private readonly string _takes = Path.Combine(Path.GetTempPath(), "acestep-rt-takes-" + Guid.NewGuid().ToString("N")[..10]);

    public RoundTripTests(EngineProcess engine)
    {
        _engine = engine;
        Directory.CreateDirectory(_takes);
        _plugin.ConfigureLink(engine.PipeName, _takes);
    }

    public void Dispose()
    {
        _plugin.Dispose();
        Directory.Delete(_takes, recursive: true);
    }

    [Fact]
    public void A_repaint_from_the_DAW_lands_on_the_range_samples_and_leaves_the_rest_untouched()
    {
        const long rangeStart = TimelineDriver.SamplesPerBar;          // the cycle is bar 2 (quarter notes 4–8): 2–4 s
        const long rangeEnd = 2 * TimelineDriver.SamplesPerBar;
        const long played = 3 * TimelineDriver.SamplesPerBar;
        byte[] saved;
        float[][] first;
        string file;
        using (var instance = _plugin.CreateInstance())
        {
            using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
            driver.Play(0, played);
            Prepare(instance);
            driver.SetParameter(played, GenerateParameter, 1);
            var take = WaitForTake(instance);
            file = take.GetProperty("file").GetString()!;

            // Named by the range's bar.beat.sixteenth, in the configured folder, holding exactly the range at the host rate.
            Assert.Equal(Path.Combine(_takes, "AceStep 0002.1.1 take 1.wav"), file);
            var wav = TestWav.Read(file);
            Assert.Equal((3, TimelineDriver.Rate, 2), (wav.Format, wav.Rate, wav.Channels));
            Assert.Equal((rangeEnd - rangeStart) * 2, wav.Samples.Length);
            Assert.Equal(2.0, take.GetProperty("start").GetDouble(), 9);
            Assert.Equal(2.0, take.GetProperty("duration").GetDouble(), 9);
            Assert.True(take.GetProperty("active").GetBoolean());

            first = driver.Play(0, played);
            AssertTakeOverRangeOnly(first, wav.Samples, rangeStart, rangeEnd);
            using var stream = new MemoryBStream();
            Assert.Equal(Vst3Result.Ok, instance.Component.GetState(stream));
            saved = stream.ToArray();
        }

        // The project is reopened: the take comes back from its file and plays the same samples.
        using var reopened = _plugin.CreateInstance();
        using (var stream = new MemoryBStream(saved))
            Assert.Equal(Vst3Result.Ok, reopened.Component.SetState(stream));
        using var again = new TimelineDriver(reopened) { Cycle = (4, 8) };
        PluginHarness.WaitFor(() => _plugin.LoadedTakes(reopened) == 1, "the restored take to load");
        var second = again.Play(0, played);
        for (int c = 0; c < 2; c++)
            Assert.Equal(first[c], second[c]);
    }

    [Fact]
    public void In_REAPER_the_take_covers_the_time_selection_is_saved_in_the_project_folder_and_inserted_on_the_track()
    {
        string project = Path.Combine(_takes, "project media");
        Directory.CreateDirectory(project);
        using var host = new HostApplication("REAPER");
        using var reaper = new FakeReaper(project) { TimeSelection = (1.0, 3.0) };
        host.Extension = (FakeReaper.Iid.Tuid, reaper);
        using (var instance = PluginInstance.Create(_plugin.Factory, PluginHarness.ProcessorCid, host))
        {
            using var driver = new TimelineDriver(instance) { Cycle = (8, 12) };
            driver.Play(0, 4 * TimelineDriver.Rate);
            PluginHarness.WaitFor(() => _plugin.ResolveRange(instance).Source == 3, "the time selection to be read");
            Prepare(instance);
            driver.SetParameter(4 * TimelineDriver.Rate, GenerateParameter, 1);
            var take = WaitForTake(instance);

            string file = take.GetProperty("file").GetString()!;
            Assert.Equal(Path.Combine(project, "AceStep 0001.3.1 take 1.wav"), file);
            Assert.Equal(2 * 2 * TimelineDriver.Rate, TestWav.Read(file).Samples.Length);

            // The insert waits for REAPER's main thread; its timer makes it.
            Assert.Equal(1, _plugin.PendingReaperInserts(instance));
            reaper.RunTimer();
            Assert.Equal(0, _plugin.PendingReaperInserts(instance));
            string[] inserted;
            lock (reaper.Calls)
                inserted = [.. reaper.Calls.SkipWhile(c => !c.StartsWith("Undo_BeginBlock2", StringComparison.Ordinal))];
            Assert.Equal(
            [
                $"Undo_BeginBlock2({FakeReaper.Project:X})",
                $"AddMediaItemToTrack({FakeReaper.Track:X})",
                "AddTakeToMediaItem(1100)",
                $"PCM_Source_CreateFromFile({file})",
                "SetMediaItemTake_Source(2200,3300)",
                "SetMediaItemInfo_Value(1100,D_POSITION,1)",
                "SetMediaItemInfo_Value(1100,D_LENGTH,2)",
                "SetMediaItemInfo_Value(1100,B_MUTE,1)",
                $"Undo_EndBlock2({FakeReaper.Project:X},AceStep take,-1)",
                "UpdateArrange()",
            ], inserted);
        }
    }

    /// <summary>The settings a project would hold: a prompt (the page's) and 4 steps (the tiny model needs no more).</summary>
    private static void Prepare(PluginInstance instance)
    {
        var parameters = StateBytes.Defaults();
        parameters[4].Plain = 4;
        byte[] state = StateBytes.Build(parameters, "warm synth-pop", "", extension: new(Guid.NewGuid()));
        using var stream = new MemoryBStream(state);
        Assert.Equal(Vst3Result.Ok, instance.Component.SetState(stream));
    }

    /// <summary>Outside the range the output is the input bit for bit; inside it (past the 5 ms fades) it is the take file's samples.</summary>
    private static void AssertTakeOverRangeOnly(float[][] output, float[] take, long start, long end)
    {
        const int fade = 240;
        for (int c = 0; c < 2; c++)
        {
            for (long i = 0; i < output[c].Length; i++)
            {
                if (i < start || i >= end)
                {
                    if (output[c][i] != TimelineDriver.Input(c, i))
                        Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"channel {c} sample {i} outside the range changed"));
                }
                else if (i >= start + fade && i < end - fade && output[c][i] != take[(2 * (i - start)) + c])
                {
                    Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"channel {c} sample {i} inside the range is not the take's"));
                }
            }
        }

        Assert.Contains(take, s => s != 0f);
    }

    private JsonElement WaitForTake(PluginInstance instance)
    {
        JsonElement view = default;
        PluginHarness.WaitFor(() =>
        {
            view = JsonDocument.Parse(_plugin.SessionView(instance)).RootElement;
            string state = view.GetProperty("job").GetProperty("state").GetString()!;
            Assert.True(state != "failed", "The take failed: " + view.GetProperty("job").GetProperty("message").GetString() + "\n" + _engine.Log);
            return state == "done" && view.GetProperty("takes").GetArrayLength() == 1;
        }, "the take", seconds: 300);
        return view.GetProperty("takes")[0];
    }
}
