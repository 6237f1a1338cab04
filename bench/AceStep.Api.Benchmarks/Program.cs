using BenchmarkDotNet.Running;

// Pick suites on the command line, e.g.
//   dotnet run -c Release --project bench/AceStep.Api.Benchmarks -- --filter '*'
//   dotnet run -c Release --project bench/AceStep.Api.Benchmarks -- --filter '*Validation*' --job short
// Every benchmark class in this assembly is listed; add new suites as new files.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
