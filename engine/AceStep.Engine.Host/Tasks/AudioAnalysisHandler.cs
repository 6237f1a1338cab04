using System.Text.Json.Nodes;
using AceStep.Audio;
using AceStep.Contracts;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Analysis;
using AceStep.Engine.Host.Inputs;

namespace AceStep.Engine.Host.Tasks;

/// <summary>
/// <c>audioAnalysis</c> (engine extension): resolves <c>inputs.audio</c> like <c>audioInference</c> does and answers
/// its key and tempo (<see cref="AudioAnalyzer"/>). Analysis takes about a second per few minutes of audio, so it runs
/// at once instead of joining the generation queue, and is neither journaled nor pollable: the reply carries the
/// result. It runs on the thread pool, so a pipe connection keeps reading its other requests meanwhile, and at most
/// <see cref="MaxConcurrent"/> run together, so a burst of analyses cannot take every core from the model.
/// </summary>
public sealed class AudioAnalysisHandler : ITaskHandler, IDisposable
{
    /// <summary>Analyses that may run at the same time (each uses up to two threads).</summary>
    public static int MaxConcurrent { get; } = Math.Max(1, Environment.ProcessorCount / 2);

    private readonly InputAudioResolver _inputs;
    private readonly SemaphoreSlim _gate = new(MaxConcurrent, MaxConcurrent);

    /// <summary>Creates the handler.</summary>
    public AudioAnalysisHandler(InputAudioResolver inputs) => _inputs = inputs;

    /// <inheritdoc />
    public string TaskType => TaskTypes.AudioAnalysis;

    /// <inheritdoc />
    public async ValueTask<TaskOutcome> HandleAsync(JsonObject task, TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = AudioAnalysisValidator.Validate(task, context.Transport);
        if (!validation.IsValid)
        {
            return new TaskOutcome([], validation.Errors);
        }
        var request = validation.Value;
        var audio = await _inputs.ResolveAsync(request.Audio!, context, cancellationToken);
        AudioAnalysis analysis;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            analysis = await Task.Run(() => AudioAnalyzer.Analyze(audio, cancellationToken), cancellationToken);
        }
        catch (AudioTooShortException ex)
        {
            return new TaskOutcome([], [new TaskError
            {
                Code = ErrorCodes.Invalid("audio"),
                Message = ex.Message,
                Parameter = "inputs.audio",
                TaskType = TaskType,
                TaskUuid = request.TaskUuid.ToString(),
                AllowedValues = JsonValue.Create($"at least {AudioAnalyzer.MinimumSeconds:0} s"),
            }]);
        }
        finally
        {
            _gate.Release();
        }
        return TaskOutcome.Of(ContractsJson.ToJsonObject(ToResult(request, analysis), ContractsJson.Default.AudioAnalysisResult));
    }

    /// <summary>The reply item: the key in keyScale's spelling, the tempo as a whole number settings.bpm takes.</summary>
    internal static AudioAnalysisResult ToResult(AudioAnalysisRequest request, AudioAnalysis analysis) => new()
    {
        TaskUuid = request.TaskUuid,
        KeyScale = analysis.Key.Key?.Name,
        KeyConfidence = Math.Round(analysis.Key.Confidence, 3),
        Bpm = analysis.Tempo.Bpm is { } bpm ? (int)Math.Round(bpm, MidpointRounding.AwayFromZero) : null,
        BpmConfidence = Math.Round(analysis.Tempo.Confidence, 3),
        Duration = Math.Round(analysis.Duration, 3),
    };

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
