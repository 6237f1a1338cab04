using AceStep.Contracts.Sessions;
using SkiaSharp;

namespace AceStep.Plugin.Editor.Tests;

/// <summary>
/// Pixel snapshots of the editor's main states, drawn into a software Skia surface with fixed fonts and compared with
/// the PNGs in Snapshots/ with a tolerance (anti-aliasing may differ by a few levels between FreeType builds). A
/// missing or changed look fails; ACESTEP_UPDATE_SNAPSHOTS=1 writes new baselines (then look at them).
/// </summary>
public class SnapshotTests
{
    private static readonly string s_source = Path.Combine(FindRepoRoot(), "tests", "AceStep.Plugin.Editor.Tests", "Snapshots");

    public static TheoryData<string> States => ["waiting", "running-with-takes", "model-missing", "key-list", "typing", "part-list", "complete-parts"];

    [Theory]
    [MemberData(nameof(States))]
    public void The_editor_looks_as_recorded(string state)
    {
        using var t = new TestEditor();
        Arrange(t, state);
        using var bitmap = t.Editor.RenderBitmap();
        string baseline = Path.Combine(s_source, state + ".png");
        if (Environment.GetEnvironmentVariable("ACESTEP_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(s_source);
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(baseline, data.ToArray());
        }

        Assert.True(File.Exists(baseline), $"No baseline {baseline}: run with ACESTEP_UPDATE_SNAPSHOTS=1 and look at it.");
        using var expected = SKBitmap.Decode(baseline);
        Assert.Equal((expected.Width, expected.Height), (bitmap.Width, bitmap.Height));
        int differing = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor a = bitmap.GetPixel(x, y);
                SKColor b = expected.GetPixel(x, y);
                int delta = Math.Max(Math.Abs(a.Red - b.Red), Math.Max(Math.Abs(a.Green - b.Green), Math.Abs(a.Blue - b.Blue)));
                if (delta > 48)
                    differing++;
            }
        }

        // 0.3 % of the pixels: a moved control, a missing label or another colour is far more.
        double share = differing / (double)(bitmap.Width * bitmap.Height);
        if (share > 0.003)
        {
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            string actual = Path.Combine(Path.GetTempPath(), $"editor-{state}-actual.png");
            File.WriteAllBytes(actual, data.ToArray());
            Assert.Fail($"{state}: {share:P2} of the pixels differ from {baseline}; the drawing is in {actual}.");
        }
    }

    [Fact]
    public void The_running_state_differs_from_the_waiting_one_beyond_the_tolerance()
    {
        // Guards the comparison itself: two different states must not pass as equal.
        using var waiting = new TestEditor();
        Arrange(waiting, "waiting");
        using var running = new TestEditor();
        Arrange(running, "running-with-takes");
        using var a = waiting.Editor.RenderBitmap();
        using var b = running.Editor.RenderBitmap();
        int differing = 0;
        for (int y = 0; y < a.Height; y += 2)
        {
            for (int x = 0; x < a.Width; x += 2)
            {
                if (a.GetPixel(x, y) != b.GetPixel(x, y))
                    differing++;
            }
        }

        Assert.True(differing > a.Width * a.Height / 4 * 0.003);
    }

    [Fact]
    public void At_twice_the_scale_the_editor_draws_the_same_picture_in_twice_the_pixels()
    {
        using var t = new TestEditor();
        Arrange(t, "running-with-takes");
        t.Editor.SetScale(2);
        t.Editor.SetSize(1920, 1280);
        using var big = t.Editor.RenderBitmap();
        Assert.Equal((1920, 1280), (big.Width, big.Height));
        // The Generate button's colour sits at twice its coordinates.
        var generate = t.Editor.Layout.Generate;
        Assert.Equal(big.GetPixel((int)(generate.Left + 10) * 2, (int)generate.MidY * 2), big.GetPixel((int)(generate.Left + 12) * 2, (int)(generate.MidY * 2) - 6));
    }

    private static void Arrange(TestEditor t, string state)
    {
        switch (state)
        {
            case "waiting":
                t.Editor.Update(new EditorSnapshot { Running = false, Unavailable = "The host has not started the plugin yet (start playback or enable the track)." });
                break;
            case "running-with-takes":
                t.Editor.Update(SampleViews.Snapshot(
                    SampleViews.Idle([SampleViews.Take("a", false, 7), SampleViews.Take("b", true, 8)], new SessionJob { State = "running", Progress = 40, Stage = "diffusion" }),
                    new TimeRange(12, 14)));
                break;
            case "model-missing":
                t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle(job: new SessionJob
                {
                    State = "failed",
                    Message = "The model 'acestep-v15-turbo' needs dit, not installed. Install with: acestep models pull acestep-v15-turbo",
                })));
                break;
            case "key-list":
                t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle()));
                t.Click(ControlId.Key);
                break;
            case "part-list":
                // Add a part: the stem list open in the cover scale's slot, Bass chosen, a lego take listed.
                t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle([SampleViews.Take("a", true, 7) with
                {
                    Settings = new SessionSettings { Prompt = "tight funk drums", Mode = "lego", TrackName = "drums" },
                }]) with { Settings = new SessionSettings { Prompt = "", Mode = "lego", TrackName = "bass" } }));
                t.Click(ControlId.Track);
                break;
            case "complete-parts":
                // Complete: drums and bass ticked, the keyboard's cursor on strings.
                t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle() with
                {
                    Settings = new SessionSettings { Prompt = "jazz trio", Mode = "complete", TrackClasses = ["bass", "drums"] },
                }));
                t.Click(ControlId.TrackClasses);
                for (int i = 0; i < 5; i++)
                    t.Editor.KeyDown(EditorKey.Down, Modifiers.None);
                break;
            case "typing":
                t.Editor.Update(SampleViews.Snapshot(SampleViews.Idle()));
                t.Click(ControlId.Lyrics);
                t.Editor.KeyDown(EditorKey.End, Modifiers.Control);
                t.Type("\nna na na");
                t.Editor.KeyDown(EditorKey.Left, Modifiers.Shift | Modifiers.Control);
                break;
        }
    }

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AceStep.Vst.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}
