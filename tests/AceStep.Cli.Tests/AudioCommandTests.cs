using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AceStep.Audio;

namespace AceStep.Cli.Tests;

/// <summary>
/// <c>acestep generate</c>, <c>repaint</c> and <c>cover</c> as separate processes against an engine the test runs
/// in-process with the diagnostic tone; files are checked by decoding them.
/// </summary>
public sealed class AudioCommandTests : IClassFixture<ToneEngine>, IDisposable
{
    private readonly ToneEngine _engine;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "acestep-cli-audio-" + Guid.NewGuid().ToString("N")[..10]);

    public AudioCommandTests(ToneEngine engine)
    {
        _engine = engine;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string InDir(string name) => Path.Combine(_dir, name);

    private Task<(int ExitCode, string Stdout, string Stderr)> Cli(params string[] args) =>
        ProcessRunner.RunAsync("acestep.dll", [.. args, "--engine", _engine.PipeName, "--no-start", "--steps", "4"], null);

    /// <summary>A 48 kHz stereo sine WAV of <paramref name="seconds"/>.</summary>
    private string SourceWav(string name, double seconds)
    {
        var frames = (int)Math.Round(seconds * 48_000);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = samples[2 * i + 1] = 0.3f * (float)Math.Sin(2 * Math.PI * 330 * i / 48_000);
        }
        var path = InDir(name);
        WavFile.Write(path, new AudioBuffer(samples, 48_000, 2), WavSampleFormat.Pcm24);
        return path;
    }

    private static double WavSeconds(string path)
    {
        using var stream = File.OpenRead(path);
        return WavFile.Read(stream).Duration;
    }

    private static async Task<double> ProbeSeconds(string path)
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffprobe could not read {path}: {await process.StandardError.ReadToEndAsync()}");
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task ConvertAsync(string from, string to)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-v", "error", "-y", "-i", from, to })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
    }

    [Fact]
    public async Task Generate_json_lists_one_wav_of_the_asked_duration()
    {
        // Input: the REAPER script's call.
        var (exit, stdout, stderr) = await Cli("generate", "--prompt", "a calm test tone", "--duration", "7", "--out", InDir("song.wav"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var result = JsonNode.Parse(stdout)!.AsObject();   // the whole of stdout is one JSON object
        var file = (string)result["files"]![0]!;
        Assert.Equal(InDir("song.wav"), file);
        Assert.Equal(7.0, WavSeconds(file), 3);
        Assert.Single(result["seeds"]!.AsArray());
        Assert.True(Guid.TryParse((string)result["taskUUID"]!, out _));
        Assert.Contains("generate: diffusion", stderr, StringComparison.Ordinal);   // progress lines go to stderr with --json
        Assert.Empty(Directory.GetFiles(_dir, "*.part-*"));
    }

    [Fact]
    public async Task Three_results_are_written_as_numbered_flac_files_with_consecutive_seeds()
    {
        var (exit, stdout, stderr) = await Cli("generate", "--prompt", "a calm test tone", "--duration", "6", "--results", "3",
            "--seed", "40", "--out", InDir("take.flac"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal([InDir("take-1.flac"), InDir("take-2.flac"), InDir("take-3.flac")], result["files"]!.AsArray().Select(f => (string)f!));
        Assert.Equal([40L, 41L, 42L], result["seeds"]!.AsArray().Select(s => (long)s!));
        foreach (var file in result["files"]!.AsArray())
        {
            Assert.Equal(6.0, await ProbeSeconds((string)file!), 2);
        }
        Assert.False(File.Exists(InDir("take.flac")));
    }

    [Fact]
    public async Task Without_json_progress_and_the_written_file_are_plain_lines_on_stdout()
    {
        var (exit, stdout, stderr) = await Cli("generate", "--prompt", "a calm test tone", "--duration", "6", "--out", InDir("plain.mp3"));

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("generate: task ", stdout, StringComparison.Ordinal);
        Assert.Contains("generate: diffusion 100%", stdout, StringComparison.Ordinal);
        Assert.Contains("Wrote " + InDir("plain.mp3"), stdout, StringComparison.Ordinal);
        Assert.Equal(6.0, await ProbeSeconds(InDir("plain.mp3")), 1);
    }

    [Fact]
    public async Task Cover_of_a_flac_source_has_the_source_length()
    {
        await ConvertAsync(SourceWav("source.wav", 6.5), InDir("source.flac"));

        var (exit, stdout, stderr) = await Cli("cover", "--in", InDir("source.flac"), "--prompt", "the same tune on a piano",
            "--strength", "0.7", "--cover-scale", "0.5", "--out", InDir("cover.wav"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(InDir("cover.wav"), (string)JsonNode.Parse(stdout)!["files"]![0]!);
        Assert.Equal(6.5, WavSeconds(InDir("cover.wav")), 3);
    }

    [Fact]
    public async Task Repaint_inside_the_source_keeps_its_length()
    {
        var source = SourceWav("loop.wav", 8);

        var (exit, stdout, stderr) = await Cli("repaint", "--in", source, "--start", "2", "--end", "4", "--prompt", "a drum fill",
            "--out", InDir("fill.wav"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(8.0, WavSeconds((string)JsonNode.Parse(stdout)!["files"]![0]!), 3);
    }

    [Fact]
    public async Task Repaint_past_the_source_and_before_zero_extends_it()
    {
        var source = SourceWav("short.wav", 6);

        var (exit, stdout, stderr) = await Cli("repaint", "--in", source, "--start", "-1.5", "--end", "9", "--prompt", "a longer ending",
            "--out", InDir("longer.wav"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(1.5 + 9, WavSeconds((string)JsonNode.Parse(stdout)!["files"]![0]!), 3);
    }

    [Fact]
    public async Task Lego_over_a_span_keeps_the_sources_length()
    {
        var source = SourceWav("guitar-loop.wav", 8);

        var (exit, stdout, stderr) = await Cli("lego", "--in", source, "--track", "drums", "--start", "2", "--end", "6",
            "--prompt", "tight funk drums", "--out", InDir("with-drums.wav"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(8.0, WavSeconds((string)JsonNode.Parse(stdout)!["files"]![0]!), 3);
    }

    [Theory]
    [InlineData("extract", "--track", "vocals")]
    [InlineData("complete", "--tracks", "drums,bass")]
    public async Task Extract_and_complete_write_audio_as_long_as_the_source(string command, string flag, string value)
    {
        var source = SourceWav("single-track.wav", 6.5);

        var (exit, stdout, stderr) = await Cli(command, "--in", source, flag, value, "--prompt", "a band", "--out", InDir(command + ".wav"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(6.5, WavSeconds((string)JsonNode.Parse(stdout)!["files"]![0]!), 3);
    }

    [Fact]
    public async Task An_unknown_track_is_the_engines_error_with_its_flag_and_exit_8()
    {
        // Input tried: acestep lego --track cowbell.
        var (exit, _, stderr) = await Cli("lego", "--in", SourceWav("loop.wav", 6), "--track", "cowbell", "--prompt", "more cowbell",
            "--out", InDir("cowbell.wav"));

        Assert.Equal(ExitCodes.TaskRejected, exit);
        Assert.Contains("invalidTrackName (--track, settings.trackName)", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(InDir("cowbell.wav")));
    }

    [Fact]
    public async Task Extract_needs_no_prompt()
    {
        // Input tried: acestep extract --track drums with no --prompt (the task names the stem).
        var (exit, stdout, stderr) = await Cli("extract", "--in", SourceWav("mix.wav", 6), "--track", "drums", "--out", InDir("drums.wav"), "--json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Equal(6.0, WavSeconds((string)JsonNode.Parse(stdout)!["files"]![0]!), 3);
    }

    [Fact]
    public async Task Repaint_without_a_prompt_is_a_usage_error()
    {
        // Input tried: acestep repaint with no --prompt (the seed document's tasks need their caption).
        var (exit, _, stderr) = await Cli("repaint", "--in", SourceWav("any.wav", 6), "--start", "1", "--end", "2", "--out", InDir("fill.wav"));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--prompt", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(InDir("fill.wav")));
    }

    [Fact]
    public async Task A_stem_jobs_one_letter_prompt_is_the_engines_error_with_its_flag()
    {
        // Input tried: acestep lego --prompt x (a caption, when given, is 2–3000 characters).
        var (exit, _, stderr) = await Cli("lego", "--in", SourceWav("loop.wav", 6), "--track", "drums", "--prompt", "x", "--out", InDir("x.wav"));

        Assert.Equal(ExitCodes.TaskRejected, exit);
        Assert.Contains("invalidPositivePrompt (--prompt, positivePrompt)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_without_a_track_is_a_usage_error()
    {
        // Input tried: acestep extract with no --track.
        var (exit, _, stderr) = await Cli("extract", "--in", SourceWav("mix.wav", 6), "--prompt", "the vocals", "--out", InDir("stem.wav"));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--track", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_input_file_exits_2_before_anything_runs()
    {
        var (exit, stdout, stderr) = await Cli("cover", "--in", InDir("nothing.wav"), "--prompt", "a cover", "--out", InDir("out.wav"), "--json");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--in", stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.False(File.Exists(InDir("out.wav")));
    }

    [Fact]
    public async Task An_output_extension_the_engine_cannot_write_exits_2()
    {
        var (exit, _, stderr) = await Cli("generate", "--prompt", "a calm test tone", "--out", InDir("song.aiff"));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(".wav, .flac, .mp3 or .ogg", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task An_invalid_key_is_the_engines_validation_error_with_its_flag_and_exit_8()
    {
        var (exit, stdout, stderr) = await Cli("generate", "--prompt", "a calm test tone", "--key", "H minor", "--out", InDir("song.wav"), "--json");

        Assert.Equal(ExitCodes.TaskRejected, exit);
        Assert.Contains("invalidKeyScale (--key, settings.keyScale)", stderr, StringComparison.Ordinal);
        var result = JsonNode.Parse(stdout)!;
        Assert.Empty(result["files"]!.AsArray());
        Assert.Equal("settings.keyScale", (string)result["errors"]![0]!["parameter"]!);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Steps_0_is_printed_with_its_parameter_and_exits_8()
    {
        var (exit, _, stderr) = await ProcessRunner.RunAsync("acestep.dll",
            ["generate", "--prompt", "a calm test tone", "--steps", "0", "--out", InDir("song.wav"), "--engine", _engine.PipeName, "--no-start"], null);

        Assert.Equal(ExitCodes.TaskRejected, exit);
        Assert.Contains("invalidSteps (--steps, steps):", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(InDir("song.wav")));
    }

    [Fact]
    public async Task Repaint_without_a_span_is_a_usage_error()
    {
        var (exit, _, stderr) = await Cli("repaint", "--in", SourceWav("any.wav", 6), "--prompt", "a fill", "--out", InDir("fill.wav"));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--start, --end or both", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_start_and_no_engine_it_exits_3()
    {
        var (exit, _, stderr) = await ProcessRunner.RunAsync("acestep.dll",
            ["generate", "--prompt", "a calm test tone", "--out", InDir("song.wav"), "--engine", "acestep-nobody-" + Guid.NewGuid().ToString("N")[..6],
             "--no-start", "--timeout", "0.5"], null);

        Assert.Equal(ExitCodes.EngineUnavailable, exit);
        Assert.Contains("No AceStep engine", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(InDir("song.wav")));
    }

    [Fact]
    public async Task Without_an_engine_it_runs_one_in_process_on_the_users_data_directory()
    {
        // Input: an empty ACESTEP_HOME, so the engine it runs has no model and says how to install one.
        var home = InDir("home");
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync("acestep.dll",
            ["generate", "--prompt", "a calm test tone", "--out", InDir("song.wav"), "--engine", "acestep-nobody-" + Guid.NewGuid().ToString("N")[..6], "--json"],
            new Dictionary<string, string> { ["ACESTEP_HOME"] = home });

        Assert.Equal(ExitCodes.ModelInvalid, exit);
        Assert.Contains("running one inside this command", stderr, StringComparison.Ordinal);
        Assert.Contains("acestep models pull", stderr, StringComparison.Ordinal);
        Assert.Equal("modelNotFound", (string)JsonNode.Parse(stdout)!["errors"]![0]!["code"]!);
        Assert.True(File.Exists(Path.Combine(home, "jobs.db")));
        Assert.False(File.Exists(InDir("song.wav")));
    }
}
