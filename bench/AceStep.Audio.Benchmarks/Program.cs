// `dotnet run -c Release --project bench/AceStep.Audio.Benchmarks -- --filter '*' --job short` (FFmpeg on PATH).
// Speed is BenchmarkDotNet's Mean/Ratio; the quality columns come from ResamplerQuality, measured in the same run.
AceStep.Benchmarks.BenchmarkProgram.Run(typeof(AceStep.Audio.Benchmarks.ResamplerBenchmarks).Assembly, args);
