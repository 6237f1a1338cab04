using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/AceStep.Pipes.Benchmarks -- --filter '*'`. The suite declares its own
// in-process job (warm buffer pool), so no --inProcess/--job flags are needed.
BenchmarkSwitcher.FromAssembly(typeof(AceStep.Pipes.Benchmarks.PipeRoundTripBenchmarks).Assembly).Run(args);
