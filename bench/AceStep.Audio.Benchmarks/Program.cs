// `dotnet run -c Release --project bench/AceStep.Audio.Benchmarks -- --filter '*' --iterationCount 6 --warmupCount 2 --launchCount 1`
// (FFmpeg on PATH; one in-process job: `--job short` would add a second, out-of-process one beside it).
// Speed is BenchmarkDotNet's Mean/Ratio; the quality columns come from ResamplerQuality, measured in the same run.
AceStep.Benchmarks.BenchmarkProgram.Run(typeof(AceStep.Audio.Benchmarks.ResamplerBenchmarks).Assembly, args);
