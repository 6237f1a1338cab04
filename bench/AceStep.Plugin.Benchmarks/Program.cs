// `dotnet run -c Release --project bench/AceStep.Plugin.Benchmarks -- --filter '*'` after publishing the bundle.
// In-process by default (BenchmarkProgram.Run): the plugin is a native library loaded into this process.
AceStep.Benchmarks.BenchmarkProgram.Run(typeof(AceStep.Plugin.Benchmarks.ProcessBenchmarks).Assembly, args);
