// Pick suites on the command line, e.g. `--filter '*'`, or `--filter '*Gemm*' --job short`.
AceStep.Benchmarks.BenchmarkProgram.Run(typeof(AceStep.Engine.Benchmarks.TorchGemmBenchmarks).Assembly, args);
