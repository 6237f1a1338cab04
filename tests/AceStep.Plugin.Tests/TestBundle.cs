using System.Reflection;
using AceStep.Vst3.Hosting;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AceStep.Plugin.Tests;

/// <summary>Where the published bundle is, and what the plugin is expected to declare.</summary>
internal static class TestBundle
{
    /// <summary>The bundle published by the test project's build (override with ACESTEP_VST3_BUNDLE to test another copy).</summary>
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("ACESTEP_VST3_BUNDLE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : typeof(TestBundle).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AceStepBundle").Value!;

    // Class IDs are part of every saved project: these literals catch an accidental change.
    public const string ProcessorCid = "B0B0620A3FD24D67AFD7663D2055397C";
    public const string ControllerCid = "1423AB0243A7408F83EB11F7505E47FE";

    public static Vst3Module Load() => Vst3Module.Load(Path);
}
