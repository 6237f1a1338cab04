namespace AceStep.Plugin.State;

/// <summary>An object whose settings are saved in the host project (the processor and the controller).</summary>
internal interface IStateHolder
{
    /// <summary>A copy of the current settings.</summary>
    PluginStateSnapshot Snapshot();

    /// <summary>Replaces the settings with a validated snapshot.</summary>
    /// <param name="state">The snapshot.</param>
    /// <param name="origin">What the host says the state is (a preset brings settings only).</param>
    void Apply(PluginStateSnapshot state, StateOrigin origin);
}
