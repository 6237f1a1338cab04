namespace AceStep.Engine.Host.Tests;

public class OptionsTests
{
    [Fact]
    public void Defaults_are_loopback_and_a_per_user_pipe()
    {
        var options = EngineOptions.FromEnvironment([]);
        Assert.StartsWith("http://127.0.0.1:", options.HttpUrl, StringComparison.Ordinal);
        Assert.StartsWith("acestep-engine-", options.PipeName, StringComparison.Ordinal);
        Assert.EndsWith("acestep", options.DataDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_override_the_defaults()
    {
        var options = EngineOptions.FromEnvironment(["--home", "/srv/a", "--http-url", "http://127.0.0.1:9", "--pipe", "p"]);
        Assert.Equal(("/srv/a", "http://127.0.0.1:9", "p"), (options.DataDirectory, options.HttpUrl, options.PipeName));
    }

    [Theory]
    [InlineData("--port", "Unknown flag '--port'")]   // a flag the engine does not have
    [InlineData("--home", "needs a value")]           // a flag without its value
    public void Bad_flags_are_named_in_the_error(string input, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => EngineOptions.FromEnvironment([input]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
