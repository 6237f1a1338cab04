using AceStep.Audio;
using AceStep.Contracts.Tasks;

namespace AceStep.Engine.Generation;

/// <summary>One task as the model sees it: the normalised request, the seed of each result, and the source audio.</summary>
/// <param name="Request">The validated, normalised request.</param>
/// <param name="Seeds">One seed per result: <c>seed + i (mod 2^32)</c>.</param>
/// <param name="Source">For repaint and cover: the input audio at 48 kHz stereo; null for text-to-music.</param>
public sealed record GenerationJob(AudioInferenceRequest Request, IReadOnlyList<uint> Seeds, AudioBuffer? Source);

/// <summary>One generated result.</summary>
/// <param name="Audio">The audio, at the model's rate (48 kHz) and stereo.</param>
/// <param name="Seed">The seed that produced it.</param>
public sealed record GeneratedAudio(AudioBuffer Audio, uint Seed);

/// <summary>How far a job is.</summary>
/// <param name="Fraction">0 to 1 over the whole job.</param>
/// <param name="Stage">What runs now, e.g. <c>text-encoder</c>, <c>diffusion</c>, <c>vae-decode</c>.</param>
public sealed record GenerationProgress(double Fraction, string Stage);
