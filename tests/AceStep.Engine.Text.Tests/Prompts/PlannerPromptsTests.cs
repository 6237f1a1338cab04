using AceStep.Engine.Text.Prompts;

namespace AceStep.Engine.Text.Tests.Prompts;

public sealed class PlannerPromptsTests
{
    [Fact]
    public void The_lm_generation_prompt_is_exact_chatml()
    {
        Assert.Equal(
            "<|im_start|>system\n# Instruction\nGenerate audio semantic tokens based on the given conditions:\n\n<|im_end|>\n"
            + "<|im_start|>user\n# Caption\nsoft piano\n\n# Lyric\n[Instrumental]\n<|im_end|>\n"
            + "<|im_start|>assistant\n",
            PlannerPrompts.Generation("soft piano", "[Instrumental]"));
    }

    [Fact]
    public void The_codes_prompt_leaves_the_assistant_turn_open_after_the_think_block()
    {
        var cot = "<think>\nbpm: 120\n</think>";
        Assert.Equal(PlannerPrompts.Generation("c", "l") + cot + "\n\n", PlannerPrompts.Codes("c", "l", cot));
    }

    [Fact]
    public void The_unconditional_prompt_holds_only_the_negative_prompt_and_an_empty_think()
    {
        Assert.Equal(
            "<|im_start|>system\n# Instruction\nGenerate audio semantic tokens based on the given conditions:\n\n<|im_end|>\n"
            + "<|im_start|>user\nNO USER INPUT<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
            PlannerPrompts.UnconditionalCodes());
    }

    [Fact]
    public void Inspiration_and_format_prompts_carry_their_user_content()
    {
        Assert.EndsWith("user\nsad song\n\ninstrumental: true<|im_end|>\n<|im_start|>assistant\n", PlannerPrompts.Inspiration("sad song", true), StringComparison.Ordinal);
        Assert.EndsWith("user\n# Caption\nc\n\n# Lyric\nl<|im_end|>\n<|im_start|>assistant\n", PlannerPrompts.Format("c", "l"), StringComparison.Ordinal);
        Assert.Contains(PlannerPrompts.UnderstandInstruction, PlannerPrompts.Understand("<|audio_code_1|>"), StringComparison.Ordinal);
    }
}
