using Microsoft.Playwright;

namespace AceStep.ControlPage.Tests;

/// <summary>
/// Screenshots of the page: always written under the test output (<c>screenshots/</c>); copied to
/// <c>docs/images/control-page-*.png</c> only when <c>ACESTEP_UPDATE_SCREENSHOTS=1</c>, so an ordinary test run never
/// changes tracked files.
/// </summary>
internal static class Screenshots
{
    public const string UpdateVariable = "ACESTEP_UPDATE_SCREENSHOTS";

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"control-page-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1" && FindRepositoryRoot() is { } root)
        {
            var images = Path.Combine(root, "docs", "images");
            Directory.CreateDirectory(images);
            File.Copy(path, Path.Combine(images, Path.GetFileName(path)), overwrite: true);
        }
        return path;
    }

    private static string? FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AceStep.Vst.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
