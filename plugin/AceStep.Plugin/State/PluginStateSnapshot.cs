using AceStep.Plugin.Parameters;

namespace AceStep.Plugin.State;

/// <summary>Everything the plugin saves: the parameter values and the texts the user typed.</summary>
/// <param name="Normalized">One normalized value per parameter, indexed by <see cref="ParameterId"/>.</param>
/// <param name="Prompt">The style prompt (engine <c>positivePrompt</c>).</param>
/// <param name="Lyrics">The lyrics.</param>
internal sealed record PluginStateSnapshot(double[] Normalized, string Prompt, string Lyrics)
{
    /// <summary>A fresh instance's state: every parameter at its default, no texts.</summary>
    public static PluginStateSnapshot Default() =>
        new([.. PluginParameters.All.Select(p => p.DefaultNormalized)], "", "");
}
