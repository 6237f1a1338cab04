using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AceStep.Benchmarks;

/// <summary>Work per invocation, declared on a benchmark method so a column can turn time into a rate.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WorkAttribute(double amount) : Attribute
{
    /// <summary>Floating-point operations (for GFLOP/s) or bytes moved (for GB/s) per invocation.</summary>
    public double Amount { get; } = amount;
}

/// <summary>
/// A column "GFLOP/s" or "GB/s": <see cref="WorkAttribute.Amount"/> divided by the mean time. Work depends on the
/// benchmark's parameters, so the attribute value is a per-parameter factor resolved by <see cref="IWorkSource"/>.
/// </summary>
public sealed class ThroughputColumn(string name) : IColumn
{
    public string Id => nameof(ThroughputColumn) + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => name == "GFLOP/s"
        ? "Floating-point operations per second, 1e9 (2*M*N*K per GEMM)"
        : "Bytes moved per second, 1e9 (what counts as moved is said by each benchmark)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Rate(summary, benchmarkCase, name) is { } rate ? (rate / 1e9).ToString("F1", CultureInfo.InvariantCulture) : "NA";

    /// <summary>Work per second of a case (FLOP/s or B/s), or null when it has no result or declares no work.</summary>
    internal static double? Rate(Summary summary, BenchmarkCase benchmarkCase, string column)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null)
            return null;
        var instance = Activator.CreateInstance(benchmarkCase.Descriptor.Type);
        foreach (var parameter in benchmarkCase.Parameters.Items)
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(instance, parameter.Value);
        if (instance is not IWorkSource source)
            return null;
        var work = source.Work(benchmarkCase.Descriptor.WorkloadMethod.Name, column);
        if (work <= 0)
            return null;
        return work / (report.ResultStatistics.Mean / 1e9);   // Mean is in nanoseconds
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>A benchmark class that can say how much work one invocation of a method does.</summary>
public interface IWorkSource
{
    /// <summary>FLOPs (column "GFLOP/s") or bytes (column "GB/s") of one call of <paramref name="method"/>; 0 if not applicable.</summary>
    double Work(string method, string column);
}
