using System.Globalization;

namespace AceStep.Plugin.Capture;

/// <summary>How much timeline the capture holds.</summary>
internal static class CaptureOptions
{
    /// <summary>Ten minutes: a song or a long stem at any common rate (about 230 MB of stereo float at 48 kHz,
    /// committed only as it is written).</summary>
    public const double DefaultSeconds = 600;

    /// <summary>The bounds accepted from <c>ACESTEP_CAPTURE_SECONDS</c>.</summary>
    public const double MinSeconds = 1;

    /// <summary>Upper bound: an hour of stereo at 192 kHz still fits one array.</summary>
    public const double MaxSeconds = 3600;

    /// <summary>
    /// The capacity in seconds: <c>ACESTEP_CAPTURE_SECONDS</c> from the host process's environment when it is a number
    /// within bounds, else <see cref="DefaultSeconds"/>. An environment variable until the plugin has a settings page.
    /// </summary>
    public static double Seconds { get; } =
        double.TryParse(Environment.GetEnvironmentVariable("ACESTEP_CAPTURE_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
        && seconds is >= MinSeconds and <= MaxSeconds
            ? seconds
            : DefaultSeconds;
}
