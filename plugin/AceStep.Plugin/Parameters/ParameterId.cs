namespace AceStep.Plugin.Parameters;

/// <summary>
/// Parameter IDs. Hosts store them in projects and automation lanes, and the state format stores them too: never
/// renumber or reuse one; new parameters take new numbers.
/// </summary>
internal enum ParameterId : uint
{
    /// <summary>Bypass (the host's bypass switch).</summary>
    Bypass = 0,

    /// <summary>What a take does: repaint, cover, generate, add a part (lego), extract a stem, complete (in that plain order).</summary>
    Mode = 1,

    /// <summary>How much of the source is kept (task <c>strength</c>).</summary>
    Strength = 2,

    /// <summary>Fraction of steps conditioned on the source (task <c>settings.coverConditioningScale</c>).</summary>
    CoverScale = 3,

    /// <summary>Diffusion steps.</summary>
    Steps = 4,

    /// <summary>Seed; 0 lets the engine draw one.</summary>
    Seed = 5,

    /// <summary>Key and scale; "Auto" lets the engine estimate or choose it.</summary>
    Key = 6,

    /// <summary>First bar of the range, used when the host gives no loop range.</summary>
    StartBar = 7,

    /// <summary>Length of the range in bars, used when the host gives no loop range.</summary>
    LengthBars = 8,

    /// <summary>A/B: hear the original input or the active take over the take's range (added in state version 2).</summary>
    Listen = 9,

    /// <summary>A trigger: a change from Off to On starts a take with the current settings (added in state version 3).</summary>
    Generate = 10,

    /// <summary>A trigger: a change from Off to On opens the instance's control page in the browser (state version 3).</summary>
    OpenPage = 11,

    /// <summary>Which model makes takes: Base (quality, Steps steps) or Turbo (its own 8-step schedule, fast on CPU).</summary>
    Model = 12,

    /// <summary>The stem "add a part" adds and "extract a stem" isolates (task API <c>settings.trackName</c>; state version 4).</summary>
    Track = 13,
}
