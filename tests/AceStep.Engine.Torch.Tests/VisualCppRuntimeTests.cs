namespace AceStep.Engine.Torch.Tests;

/// <summary>The Windows check for libtorch's VC++ runtime, driven through its seam (platform flag and loader).</summary>
public class VisualCppRuntimeTests
{
    [Fact]
    public void Windows_without_VCRUNTIME140_1_names_the_file_and_the_redistributable()
    {
        // Input: Windows, where MSVCP140.dll and VCRUNTIME140.dll load but VCRUNTIME140_1.dll does not (an old
        // 2015 redistributable has no _1).
        var missing = VisualCppRuntime.Missing(windows: true, library => library != "VCRUNTIME140_1.dll");

        Assert.Equal(["VCRUNTIME140_1.dll"], missing);
        var message = VisualCppRuntime.Describe(missing)!;
        Assert.Contains("VCRUNTIME140_1.dll not found", message, StringComparison.Ordinal);
        Assert.Contains("Visual C++ Redistributable", message, StringComparison.Ordinal);
        Assert.Contains("winget install Microsoft.VCRedist.2015+.x64", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_with_the_runtime_and_other_systems_have_nothing_to_report()
    {
        // Input: Windows where all three load; then Linux, whose loader would find none of these names.
        Assert.Empty(VisualCppRuntime.Missing(windows: true, _ => true));
        Assert.Empty(VisualCppRuntime.Missing(windows: false, _ => false));
        Assert.Null(VisualCppRuntime.Describe([]));
    }

    [Fact]
    public void Windows_with_no_runtime_lists_all_three_files()
    {
        // Input: a fresh Windows install without any VC++ redistributable.
        var missing = VisualCppRuntime.Missing(windows: true, _ => false);

        Assert.Equal(["MSVCP140.dll", "VCRUNTIME140.dll", "VCRUNTIME140_1.dll"], missing);
    }

    [Fact]
    public void This_process_has_what_libtorch_needs()
    {
        // Input: the real check in the test process: on Linux nothing to check; on Windows (or Wine) the runtime
        // must be there, since these tests run libtorch.
        Assert.Empty(VisualCppRuntime.Missing());
        VisualCppRuntime.EnsureAvailable();
    }
}
