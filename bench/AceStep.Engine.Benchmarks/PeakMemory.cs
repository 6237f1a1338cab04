using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AceStep.Engine.Benchmarks;

/// <summary>The process's resident-memory high-water mark (Linux VmHWM), reset around what a benchmark measures.</summary>
internal static class PeakMemory
{
    /// <summary>Collects garbage and resets VmHWM to the current RSS (writing 5 to clear_refs, Linux ≥ 4.0).</summary>
    public static void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>VmHWM in bytes.</summary>
    public static long Read() => Status("VmHWM:");

    /// <summary>VmRSS in bytes: what the process holds now.</summary>
    public static long Current() => Status("VmRSS:");

    // A "Name:\t   12345 kB" line of /proc/self/status, in bytes.
    private static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        var kib = long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kib * 1024;
    }
}

/// <summary>
/// A "Peak RSS" column fed by the benchmark itself (in-process toolchain only: the column reads what the benchmark
/// recorded in this process).
/// </summary>
/// <param name="peakOf">The recorded peak for a case, or null.</param>
internal sealed class PeakRssColumn(Func<BenchmarkCase, long?> peakOf) : IColumn
{
    public string Id => nameof(PeakRssColumn);
    public string ColumnName => "Peak RSS";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Size;
    public string Legend => "Process high-water resident memory (VmHWM) during the iteration, GB";
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        peakOf(benchmarkCase) is { } peak ? (peak / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " GB" : "NA (run in-process)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
