namespace AceStep.Engine.Text.Prompts;

/// <summary>
/// The 5 Hz LM planner's prompts (spec §7.2, §7.4): Qwen3 ChatML with a system instruction, one user turn and the
/// assistant turn opened for generation.
/// </summary>
public static class PlannerPrompts
{
    /// <summary>System instruction for generating CoT metadata and audio codes.</summary>
    public const string GenerateCodesInstruction = "Generate audio semantic tokens based on the given conditions:";

    /// <summary>System instruction for describing audio from its codes.</summary>
    public const string UnderstandInstruction = "Understand the given musical conditions and describe the audio semantics accordingly:";

    /// <summary>System instruction for the inspiration ("simple") mode.</summary>
    public const string InspirationInstruction = "Expand the user's input into a more detailed and specific musical description:";

    /// <summary>System instruction for rewriting a caption and lyrics.</summary>
    public const string FormatInstruction = "Format the user's input into a more detailed and specific musical description:";

    /// <summary>The default negative prompt: the user turn of the unconditional (CFG) code-phase prompt.</summary>
    public const string DefaultNegativePrompt = "NO USER INPUT";

    /// <summary>
    /// <c>&lt;|im_start|&gt;system\n# Instruction\n{instruction}\n\n&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n{user}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>
    /// </summary>
    public static string Chat(string systemInstruction, string userContent)
    {
        ArgumentNullException.ThrowIfNull(systemInstruction);
        ArgumentNullException.ThrowIfNull(userContent);
        return $"<|im_start|>system\n# Instruction\n{systemInstruction}\n\n<|im_end|>\n<|im_start|>user\n{userContent}<|im_end|>\n<|im_start|>assistant\n";
    }

    /// <summary>The conditional generation prompt (phase 1, CoT metadata): caption and lyrics in the user turn.</summary>
    public static string Generation(string caption, string lyrics)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentNullException.ThrowIfNull(lyrics);
        return Chat(GenerateCodesInstruction, $"# Caption\n{caption}\n\n# Lyric\n{lyrics}\n");
    }

    /// <summary>
    /// The conditional code-phase prompt (phase 2): <see cref="Generation"/> followed by the CoT block
    /// (<c>&lt;think&gt;\n{yaml}\n&lt;/think&gt;</c>) and a blank line, the assistant turn left open so codes follow.
    /// </summary>
    public static string Codes(string caption, string lyrics, string cotText)
    {
        ArgumentNullException.ThrowIfNull(cotText);
        return Generation(caption, lyrics) + cotText + "\n\n";
    }

    /// <summary>
    /// The unconditional code-phase prompt for LM CFG: the negative prompt as the whole user turn and an empty
    /// think block.
    /// </summary>
    public static string UnconditionalCodes(string negativePrompt = DefaultNegativePrompt) =>
        Chat(GenerateCodesInstruction, negativePrompt) + "<think>\n\n</think>\n\n";

    /// <summary>Describe audio from its code string.</summary>
    public static string Understand(string audioCodes) => Chat(UnderstandInstruction, audioCodes);

    /// <summary>Inspiration mode: expand a short query.</summary>
    public static string Inspiration(string query, bool instrumental)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Chat(InspirationInstruction, $"{query}\n\ninstrumental: {(instrumental ? "true" : "false")}");
    }

    /// <summary>Rewrite a caption and lyrics.</summary>
    public static string Format(string caption, string lyrics)
    {
        ArgumentNullException.ThrowIfNull(caption);
        ArgumentNullException.ThrowIfNull(lyrics);
        return Chat(FormatInstruction, $"# Caption\n{caption}\n\n# Lyric\n{lyrics}");
    }
}
