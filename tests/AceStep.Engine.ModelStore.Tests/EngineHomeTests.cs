namespace AceStep.Engine.ModelStore.Tests;

/// <summary>The default data folder under each platform's rules (the Windows rule checked on Linux through the seam).</summary>
public class EngineHomeTests
{
    private const string LocalAppData = @"C:\Users\ana\AppData\Local";

    [Fact]
    public void Windows_keeps_data_in_LOCALAPPDATA_AceStep_and_ignores_XDG()
    {
        // Input: Windows rules, LocalApplicationData = C:\Users\ana\AppData\Local, and an XDG_DATA_HOME that a
        // Unix-minded shell (Git Bash, MSYS) might have set.
        var home = EngineHome.DefaultDirectory(windows: true,
            name => name == "XDG_DATA_HOME" ? "/c/Users/ana/.local/share" : null,
            folder => folder == Environment.SpecialFolder.LocalApplicationData ? LocalAppData : @"C:\Users\ana");

        Assert.Equal(Path.Join(LocalAppData, "AceStep"), home);
        Assert.DoesNotContain(".local", home, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_falls_back_to_the_LOCALAPPDATA_variable_and_else_says_to_set_ACESTEP_HOME()
    {
        // Input: no special folder known (a service account) but %LOCALAPPDATA% set; then neither.
        Assert.Equal(Path.Join(LocalAppData, "AceStep"),
            EngineHome.DefaultDirectory(true, name => name == "LOCALAPPDATA" ? LocalAppData : null, _ => ""));

        var error = Assert.Throws<InvalidOperationException>(() => EngineHome.DefaultDirectory(true, _ => null, _ => ""));
        Assert.Contains("ACESTEP_HOME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unix_uses_XDG_DATA_HOME_else_dot_local_share()
    {
        // Input: Unix rules with XDG_DATA_HOME=/data/xdg, then without it and home /home/ana.
        Assert.Equal("/data/xdg/acestep",
            EngineHome.DefaultDirectory(false, name => name == "XDG_DATA_HOME" ? "/data/xdg" : null, _ => "/home/ana"));
        Assert.Equal("/home/ana/.local/share/acestep",
            EngineHome.DefaultDirectory(false, _ => null, folder => folder == Environment.SpecialFolder.UserProfile ? "/home/ana" : "/wrong"));
    }
}
