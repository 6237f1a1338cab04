namespace AceStep.Plugin.Editor.Tests;

/// <summary>The <c>file://</c> URIs a dragged take is offered as (text/uri-list): what a DAW decodes back to the path.</summary>
public class FileUriTests
{
    [Fact]
    public void Spaces_and_non_ASCII_names_are_percent_encoded_UTF_8()
    {
        // Input tried: a folder with a space, a German and a CJK name, and characters a URI reserves (# % ?).
        const string path = "/home/me/My Takes/Ärger 中 #1 100%?.wav";
        string uri = FileUri.FromPath(path);
        // Ä is C3 84 and 中 is E4 B8 AD in UTF-8; the space, '#', '%' and '?' are escaped; '/' and '.' stay.
        Assert.Equal("file:///home/me/My%20Takes/%C3%84rger%20%E4%B8%AD%20%231%20100%25%3F.wav", uri);
        // .NET's own URI parser (as a target would) reads the same path back.
        Assert.Equal(path, Uri.UnescapeDataString(new Uri(uri).AbsolutePath));
        Assert.True(new Uri(uri).IsFile);
    }

    [Fact]
    public void Plain_ASCII_paths_stay_readable()
    {
        Assert.Equal("file:///tmp/takes/AceStep_0005.1.1-take~2.wav", FileUri.FromPath("/tmp/takes/AceStep_0005.1.1-take~2.wav"));
    }

    [Fact]
    public void A_relative_path_is_refused_with_the_path_in_the_message()
    {
        // Input tried: "takes/a.wav" — a drop target could not tell where it is.
        var error = Assert.Throws<ArgumentException>(() => FileUri.FromPath("takes/a.wav"));
        Assert.Contains("takes/a.wav", error.Message, StringComparison.Ordinal);
    }
}
