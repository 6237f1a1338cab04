using AceStep.Contracts;

namespace AceStep.Engine.Host;

/// <summary>
/// Everything the engine needs to start. Every value has an embedded default, so a bare start needs no set-up;
/// environment variables and command-line flags override them (see docs/engine.md).
/// </summary>
public sealed record EngineOptions
{
    /// <summary>Data directory: <c>jobs.db</c>, <c>media/</c>, <c>models/</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>HTTP listen address; loopback by default. Port 0 picks a free port (tests).</summary>
    public string HttpUrl { get; init; } = EngineEndpoints.DefaultHttpUrl;

    /// <summary>Named-pipe name; per OS user by default.</summary>
    public required string PipeName { get; init; }

    /// <summary>Largest HTTP request body accepted; larger requests get 413.</summary>
    public long MaxRequestBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>When set, HTTP requests must show this key (Bearer header or an authentication task). The pipe is
    /// already limited to the current OS user and needs none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Host names besides the loopback ones that the task API answers while no API key is set (<c>ACESTEP_ALLOWED_HOSTS</c>,
    /// comma-separated, or <c>--allowed-host NAME</c>; <c>*</c> allows any). Guards against DNS rebinding.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Pause per step of the diagnostic tone generator; when set, the engine generates test tones instead of
    /// running the model, so hosts and integrations can be checked without weights.
    /// </summary>
    public TimeSpan? DiagnosticTone { get; init; }

    /// <summary>Most bytes all stored media (results and uploads) may take; past it new files are refused.</summary>
    public long MediaQuotaBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    /// <summary>Price model of <c>includeCost</c>: USD per second of audio per denoising step.</summary>
    public decimal PricePerSecondStep { get; init; } = Delivery.ResultEncoder.DefaultPricePerSecondStep;

    /// <summary>Where the model runs: auto (CUDA when usable), cpu or cuda (<c>--device</c>).</summary>
    public Torch.TorchDevicePreference Device { get; init; } = Torch.TorchDevicePreference.Auto;

    /// <summary>Model memory: all models resident (default), one stage at a time (<c>--memory-mode sequential</c>) or all
    /// resident with compact weights (<c>--memory-mode compact</c>).</summary>
    public Pipelines.MemoryMode MemoryMode { get; init; } = Pipelines.MemoryMode.Resident;

    /// <summary>The 5 Hz LM planner of text-to-music: on with the 1.7B LM by default; <c>--planner off|0.6B|1.7B|4B</c>
    /// or <see cref="PlannerVariable"/>.</summary>
    public Pipelines.Planning.PlannerSettings Planner { get; init; } = Pipelines.Planning.PlannerSettings.Default;

    /// <summary>DCW after every sampler step (model spec §8.4): on, as latest upstream, by default; <c>--dcw off</c> or
    /// <see cref="DcwVariable"/> turns it off.</summary>
    public Model.Sampling.WaveletCorrection Dcw { get; init; } = Model.Sampling.WaveletCorrection.Upstream;

    /// <summary>Forced choices of the CPU compute plan: <c>--lm-weights auto|fp32|bf16|int8</c> (<see cref="LmWeightsVariable"/>)
    /// and <c>--matmul auto|fp32|bf16</c> (<see cref="MatmulVariable"/>); automatic by default.</summary>
    public Model.Compact.ComputeOverrides Compute { get; init; } = Model.Compact.ComputeOverrides.None;

    /// <summary>Queue bounds and timing.</summary>
    public Queue.QueueOptions Queue { get; init; } = new();

    /// <summary>Environment variable for <see cref="ApiKey"/>.</summary>
    public const string ApiKeyVariable = "ACESTEP_API_KEY";

    /// <summary>Environment variable for <see cref="AllowedHosts"/> (comma-separated names).</summary>
    public const string AllowedHostsVariable = "ACESTEP_ALLOWED_HOSTS";

    /// <summary>Environment variable for <see cref="Planner"/> (<c>off</c>, <c>0.6B</c>, <c>1.7B</c> or <c>4B</c>).</summary>
    public const string PlannerVariable = "ACESTEP_PLANNER";

    /// <summary>Environment variable for <see cref="Dcw"/> (<c>on</c> or <c>off</c>).</summary>
    public const string DcwVariable = "ACESTEP_DCW";

    /// <summary>Environment variable for the LM's weight format (<c>auto</c>, <c>fp32</c>, <c>bf16</c> or <c>int8</c>).</summary>
    public const string LmWeightsVariable = "ACESTEP_LM_WEIGHTS";

    /// <summary>Environment variable for the DiT's and text encoder's matrix products (<c>auto</c>, <c>fp32</c> or <c>bf16</c>).</summary>
    public const string MatmulVariable = "ACESTEP_MATMUL";

    /// <summary>Environment variable for <see cref="DataDirectory"/>.</summary>
    public const string HomeVariable = ModelStore.EngineHome.Variable;

    /// <summary>
    /// Defaults, then environment variables, then command-line flags (<c>--home</c>, <c>--http-url</c>,
    /// <c>--pipe</c>, <c>--api-key</c>, <c>--queue-capacity</c>). Throws <see cref="ArgumentException"/> for an unknown flag or a flag
    /// without its value, naming it.
    /// </summary>
    public static EngineOptions FromEnvironment(IReadOnlyList<string> args)
    {
        var options = new EngineOptions
        {
            DataDirectory = Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } home ? home : DefaultDataDirectory(),
            HttpUrl = EngineEndpoints.HttpUrl(),
            PipeName = EngineEndpoints.PipeName(),
            ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null,
            AllowedHosts = (Environment.GetEnvironmentVariable(AllowedHostsVariable) ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Planner = Environment.GetEnvironmentVariable(PlannerVariable) is { Length: > 0 } planner
                ? PlannerFrom(PlannerVariable, planner)
                : Pipelines.Planning.PlannerSettings.Default,
            Dcw = Environment.GetEnvironmentVariable(DcwVariable) is { Length: > 0 } dcw
                ? DcwFrom(DcwVariable, dcw)
                : Model.Sampling.WaveletCorrection.Upstream,
            Compute = new Model.Compact.ComputeOverrides(
                Environment.GetEnvironmentVariable(LmWeightsVariable) is { Length: > 0 } lm ? LmWeightsFrom(LmWeightsVariable, lm) : null,
                Environment.GetEnvironmentVariable(MatmulVariable) is { Length: > 0 } matmul ? MatmulFrom(MatmulVariable, matmul) : null),
        };
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"The flag {flag} needs a value.");
            options = flag switch
            {
                "--home" => options with { DataDirectory = Value() },
                "--http-url" => options with { HttpUrl = Value() },
                "--pipe" => options with { PipeName = Value() },
                "--api-key" => options with { ApiKey = Value() },
                "--allowed-host" => options with { AllowedHosts = [.. options.AllowedHosts, Value()] },
                "--diagnostic-tone" => options with { DiagnosticTone = TimeSpan.FromMilliseconds(PositiveInt(flag, Value())) },
                "--queue-capacity" => options with { Queue = options.Queue with { Capacity = PositiveInt(flag, Value()) } },
                "--media-quota-mb" => options with { MediaQuotaBytes = PositiveInt(flag, Value()) * 1024L * 1024 },
                "--price-per-second-step" => options with { PricePerSecondStep = Price(flag, Value()) },
                "--device" => options with { Device = Torch.TorchRuntimeOptions.ParseDevice(Value()) },
                "--memory-mode" => options with { MemoryMode = MemoryModeFrom(flag, Value()) },
                "--planner" => options with { Planner = PlannerFrom(flag, Value()) },
                "--dcw" => options with { Dcw = DcwFrom(flag, Value()) },
                "--lm-weights" => options with { Compute = options.Compute with { LmWeights = LmWeightsFrom(flag, Value()) } },
                "--matmul" => options with { Compute = options.Compute with { BFloat16Matmul = MatmulFrom(flag, Value()) } },
                _ => throw new ArgumentException(
                    $"Unknown flag '{flag}'. The engine takes --home DIR, --http-url URL --pipe NAME, --api-key KEY, --allowed-host NAME, --queue-capacity N, --media-quota-mb N, --price-per-second-step USD, --device auto|cpu|cuda, --memory-mode resident|sequential|compact, --lm-weights auto|fp32|bf16|int8, --matmul auto|fp32|bf16, --planner off|0.6B|1.7B|4B, --dcw on|off and --diagnostic-tone MS_PER_STEP."),
            };
        }
        return options;
    }

    private static decimal Price(string flag, string text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var price) && price >= 0
            ? price
            : throw new ArgumentException($"The flag {flag} needs a price in USD, e.g. 0.00000064, not '{text}'.");

    private static int PositiveInt(string flag, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"The flag {flag} needs a positive whole number, not '{text}'.");

    /// <summary><c>%LOCALAPPDATA%\AceStep</c> on Windows; <c>$XDG_DATA_HOME/acestep</c>, else <c>~/.local/share/acestep</c>; computed by
    /// <see cref="ModelStore.EngineHome"/> so the <c>acestep</c> command finds the same folder.</summary>
    public static string DefaultDataDirectory() => ModelStore.EngineHome.DefaultDirectory();

    private static Pipelines.Planning.PlannerSettings PlannerFrom(string source, string value)
    {
        try
        {
            return Pipelines.Planning.PlannerSettings.Parse(value);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"{source} takes off, 0.6B, 1.7B or 4B, not '{value}'.");
        }
    }

    private static Model.Sampling.WaveletCorrection DcwFrom(string source, string value)
    {
        try
        {
            return Model.Sampling.WaveletCorrection.Parse(value);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"{source} takes on or off, not '{value}'.");
        }
    }

    private static Pipelines.MemoryMode MemoryModeFrom(string flag, string value) => value.ToLowerInvariant() switch
    {
        "resident" => Pipelines.MemoryMode.Resident,
        "sequential" => Pipelines.MemoryMode.Sequential,
        "compact" => Pipelines.MemoryMode.Compact,
        _ => throw new ArgumentException($"The flag {flag} takes resident, sequential or compact, not '{value}'."),
    };

    // null = automatic (chosen from the CPU at start).
    private static Kernels.WeightFormat? LmWeightsFrom(string source, string value) =>
        value.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
        : Kernels.WeightFormats.TryParse(value, out var format) ? format
        : throw new ArgumentException($"{source} takes auto, fp32, bf16 or int8, not '{value}'.");

    private static bool? MatmulFrom(string source, string value) => value.ToLowerInvariant() switch
    {
        "auto" => null,
        "fp32" => false,
        "bf16" => true,
        _ => throw new ArgumentException($"{source} takes auto, fp32 or bf16, not '{value}'."),
    };
}
