using AceStep.Engine.Model.Lm;

namespace AceStep.Engine.Pipelines.Planning;

/// <summary>
/// Engine configuration of the 5 Hz LM planner (spec §7): which LM checkpoint plans text-to-music jobs, or none.
/// Upstream's Python API plans by default (<c>thinking=True</c>, the 1.7B LM); so does the engine, and
/// <c>--planner off</c> skips the LM for speed. The planner is optional: with the chosen LM not installed, jobs run
/// without it (the generator logs how to install it).
/// </summary>
/// <param name="LmId">The LM checkpoint id (<c>acestep-5Hz-lm-0.6B</c>, <c>-1.7B</c> or <c>-4B</c>), or null: off.</param>
public sealed record PlannerSettings(string? LmId)
{
    /// <summary>The LM checkpoints, by the size a user names them with.</summary>
    public static IReadOnlyDictionary<string, string> Sizes { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["0.6B"] = "acestep-5Hz-lm-0.6B",
        ["1.7B"] = "acestep-5Hz-lm-1.7B",
        ["4B"] = "acestep-5Hz-lm-4B",
    };

    /// <summary>On, with the 1.7B LM (upstream's default LM).</summary>
    public static PlannerSettings Default { get; } = new("acestep-5Hz-lm-1.7B");

    /// <summary>No planner: text-to-music runs on the request alone.</summary>
    public static PlannerSettings Off { get; } = new((string?)null);

    /// <summary>Sampling of both phases (spec §7.6 defaults: temperature 0.85, top-p 0.9, CFG 2.0 in the code phase).</summary>
    public LmSamplingOptions Sampling { get; init; } = new();

    /// <summary>
    /// Whether the DiT is conditioned on the caption the LM rewrote in its CoT (upstream's <c>use_cot_caption</c>, true
    /// by default) rather than the request's; when the planner skips phase 1 (bpm, key, time signature and duration all
    /// given) there is none and the request's is used.
    /// </summary>
    public bool UseLmCaption { get; init; } = true;

    /// <summary>Token budget of the generated CoT caption (bounds phase 1; upstream captions stay under 512 characters).</summary>
    public int MaxCaptionTokens { get; init; } = 256;

    /// <summary>True when a planner LM is configured.</summary>
    public bool Enabled => LmId is not null;

    /// <summary>
    /// Reads <c>off</c>, a size (<c>0.6B</c>, <c>1.7B</c>, <c>4B</c>) or a full LM id, ignoring case.
    /// </summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static PlannerSettings Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
            return Off;
        if (Sizes.TryGetValue(value, out var id))
            return new PlannerSettings(id);
        var full = Sizes.Values.FirstOrDefault(v => v.Equals(value, StringComparison.OrdinalIgnoreCase));
        return full is not null
            ? new PlannerSettings(full)
            : throw new ArgumentException($"The planner takes off, 0.6B, 1.7B or 4B, not '{text}'.", nameof(text));
    }
}
