using AceStep.Vst3;

namespace AceStep.Plugin;

/// <summary>Everything a host learns about the module before creating anything. The class IDs live only here.</summary>
internal static class PluginIdentity
{
    public const string Vendor = "AceStep";
    // The product has no public site or support address yet; hosts show empty fields rather than a wrong one.
    public const string Url = "";
    public const string Email = "";

    /// <summary>
    /// The processor's class ID. Hosts store it in projects and presets, so it must never change once released.
    /// Generated once (B0B0620A-3FD2-4D67-AFD7-663D2055397C).
    /// </summary>
    public static readonly Vst3Uid ProcessorCid = new(0xB0B0620A, 0x3FD24D67, 0xAFD7663D, 0x2055397C);

    /// <summary>The edit controller's class ID; never change it either (1423AB02-43A7-408F-83EB-11F7505E47FE).</summary>
    public static readonly Vst3Uid ControllerCid = new(0x1423AB02, 0x43A7408F, 0x83EB11F7, 0x505E47FE);

    public const string ProcessorName = "AceStep";
    public const string ControllerName = "AceStep Controller";

    /// <summary>Major.minor.patch of the assembly, the form hosts show next to the plugin name.</summary>
    public static string Version { get; } = FormatVersion(typeof(PluginIdentity).Assembly.GetName().Version);

    /// <summary>The classes the factory offers, in index order.</summary>
    public static IReadOnlyList<PluginClass> Classes { get; } =
    [
        new(ProcessorCid, ClassCategories.AudioEffect, ProcessorName, PlugTypes.Fx, ComponentFlags.Distributable),
        new(ControllerCid, ClassCategories.ComponentController, ControllerName, "", ComponentFlags.None),
    ];

    private static string FormatVersion(Version? version) =>
        version is null ? "0.0.0" : $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}";
}

/// <summary>One class of the factory.</summary>
internal sealed record PluginClass(
    Vst3Uid Cid,
    string Category,
    string Name,
    string SubCategories,
    ComponentFlags Flags);
