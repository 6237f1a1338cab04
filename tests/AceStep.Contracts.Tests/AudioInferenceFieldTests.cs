using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using static AceStep.Contracts.Tests.TestSupport;

namespace AceStep.Contracts.Tests;

/// <summary>
/// One row per accepted or rejected input of every field and cross-field rule. A row's first column is the patch
/// applied to <see cref="TestSupport.MinimalTask"/> (<c>path=json</c>, <c>-path</c> removes; <c>;;</c> separates), so the
/// input each case tried is its name in the test report.
/// </summary>
public sealed class AudioInferenceFieldTests
{
    private const string Uuid = "\"9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3\"";
    private const string WithAudio = "inputs.audio=" + Uuid + ";;";

    private static readonly Dictionary<string, Func<AudioInferenceRequest, object?>> s_properties = new()
    {
        ["TaskUuid"] = r => r.TaskUuid,
        ["Model"] = r => r.Model,
        ["Kind"] = r => r.Kind,
        ["PositivePrompt"] = r => r.PositivePrompt,
        ["PositivePrompt.Length"] = r => r.PositivePrompt.Length,
        ["NegativePrompt"] = r => r.NegativePrompt,
        ["UsesNegativePrompt"] = r => r.UsesNegativePrompt,
        ["Duration"] = r => r.Duration,
        ["Seed"] = r => r.Seed,
        ["Steps"] = r => r.Steps,
        ["CfgScale"] = r => r.CfgScale,
        ["Strength"] = r => r.Strength,
        ["NumberResults"] = r => r.NumberResults,
        ["OutputType"] = r => r.OutputType,
        ["OutputFormat"] = r => r.OutputFormat,
        ["AudioSettings"] = r => r.AudioSettings is { } a ? $"{a.SampleRate}/{Invariant(a.Bitrate)}/{a.Channels}" : null,
        ["DeliveryMethod"] = r => r.DeliveryMethod,
        ["WebhookUrl"] = r => r.WebhookUrl,
        ["UploadEndpoint"] = r => r.UploadEndpoint,
        ["Ttl"] = r => r.Ttl,
        ["IncludeCost"] = r => r.IncludeCost,
        ["InputAudio"] = r => r.InputAudio,
        ["InputAudioKind"] = r => r.InputAudioKind,
        ["InputAudioUuid"] = r => r.InputAudioUuid,
        ["InputAudioAttachment"] = r => r.InputAudioAttachment,
        ["Bpm"] = r => r.Settings.Bpm,
        ["CoverConditioningScale"] = r => r.Settings.CoverConditioningScale,
        ["GuidanceType"] = r => r.Settings.GuidanceType,
        ["KeyScale"] = r => r.Settings.KeyScale,
        ["Lyrics"] = r => r.Settings.Lyrics,
        ["Lyrics.Length"] = r => r.Settings.Lyrics?.Length,
        ["RepaintingStart"] = r => r.Settings.RepaintingStart,
        ["RepaintingEnd"] = r => r.Settings.RepaintingEnd,
        ["TimeSignature"] = r => r.Settings.TimeSignature,
        ["VocalLanguage"] = r => r.Settings.VocalLanguage,
        ["Ignored"] = r => string.Join(",", r.IgnoredParameters),
    };

    /// <summary>patch, transport, property of the normalised request, its expected value (invariant text).</summary>
    public static TheoryData<string, TransportKind, string, string> ValidCases => new()
    {
        // taskUUID: any letter case of a v4 UUID.
        { "taskUUID=\"3F0B8A0E-6C1D-4E2F-9A3B-5C6D7E8F9A0B\"", TransportKind.Http, "TaskUuid", "3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b" },
        // model
        { "", TransportKind.Http, "Model", "runware:ace-step@v1.5-base" },
        // positivePrompt: 2 and 3000 characters.
        { "positivePrompt=\"ok\"", TransportKind.Http, "PositivePrompt", "ok" },
        { "positivePrompt=@x*3000", TransportKind.Http, "PositivePrompt.Length", "3000" },
        { "positivePrompt=@🎷*3000", TransportKind.Http, "PositivePrompt.Length", "6000" }, // 3000 characters, 6000 UTF-16 units
        // negativePrompt
        { "negativePrompt=\"no drums\"", TransportKind.Http, "NegativePrompt", "no drums" },
        { "negativePrompt=\"no drums\"", TransportKind.Http, "UsesNegativePrompt", "True" },
        { "-negativePrompt", TransportKind.Http, "NegativePrompt", "null" },
        { "negativePrompt=\"no drums\";;CFGScale=1", TransportKind.Http, "UsesNegativePrompt", "False" },
        { "negativePrompt=\"no drums\";;CFGScale=1", TransportKind.Http, "Ignored", "negativePrompt" },
        { "negativePrompt=null", TransportKind.Http, "NegativePrompt", "null" },
        // duration: range ends, default, grid rounding.
        { "", TransportKind.Http, "Duration", "60" },
        { "duration=6", TransportKind.Http, "Duration", "6" },
        { "duration=300", TransportKind.Http, "Duration", "300" },
        { "duration=60.04", TransportKind.Http, "Duration", "60" },
        { "duration=60.05", TransportKind.Http, "Duration", "60.1" },
        { "duration=75", TransportKind.Http, "Duration", "75" },
        // seed: absent → null (engine draws), ends of the range, a whole number written with .0.
        { "", TransportKind.Http, "Seed", "null" },
        { "seed=0", TransportKind.Http, "Seed", "0" },
        { "seed=2147483647", TransportKind.Http, "Seed", "2147483647" },
        { "seed=42.0", TransportKind.Http, "Seed", "42" },
        // steps
        { "", TransportKind.Http, "Steps", "100" },
        { "steps=1", TransportKind.Http, "Steps", "1" },
        { "steps=300", TransportKind.Http, "Steps", "300" },
        // CFGScale: grid 0.01.
        { "", TransportKind.Http, "CfgScale", "10" },
        { "CFGScale=8.504", TransportKind.Http, "CfgScale", "8.5" },
        { "CFGScale=8.505", TransportKind.Http, "CfgScale", "8.51" },
        { "CFGScale=1", TransportKind.Http, "CfgScale", "1" },
        { "CFGScale=30", TransportKind.Http, "CfgScale", "30" },
        // strength: grid 0.01; ignored without audio.
        { "", TransportKind.Http, "Strength", "0.5" },
        { WithAudio + "strength=0", TransportKind.Http, "Strength", "0" },
        { WithAudio + "strength=1", TransportKind.Http, "Strength", "1" },
        { WithAudio + "strength=0.555", TransportKind.Http, "Strength", "0.56" },
        { "strength=0.3", TransportKind.Http, "Ignored", "strength" },
        // numberResults
        { "", TransportKind.Http, "NumberResults", "1" },
        { "numberResults=4", TransportKind.Http, "NumberResults", "4" },
        // outputType (letter case ignored), attachment on the pipe.
        { "", TransportKind.Http, "OutputType", "Url" },
        { "outputType=\"base64Data\"", TransportKind.Http, "OutputType", "Base64Data" },
        { "outputType=\"dataURI\"", TransportKind.Http, "OutputType", "DataUri" },
        { "outputType=\"url\"", TransportKind.Http, "OutputType", "Url" },
        { "outputType=\"attachment\"", TransportKind.Pipe, "OutputType", "Attachment" },
        // outputFormat and the audioSettings it implies.
        { "", TransportKind.Http, "OutputFormat", "Mp3" },
        { "outputFormat=\"WAV\"", TransportKind.Http, "AudioSettings", "null" },
        { "outputFormat=\"flac\"", TransportKind.Http, "OutputFormat", "Flac" },
        { "outputFormat=\"OGG\"", TransportKind.Http, "AudioSettings", "48000/128/2" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\"", TransportKind.Pipe, "OutputFormat", "PcmF32" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\"", TransportKind.Pipe, "AudioSettings", "48000/null/2" },
        { "outputType=\"attachment\";;outputFormat=\"MP3\"", TransportKind.Pipe, "OutputFormat", "Mp3" },
        // audioSettings: MP3 rows, 128 kbps clamped into the row, OGG per channel count, PCM_F32 rate/channels.
        { "", TransportKind.Http, "AudioSettings", "44100/128/2" },
        { "audioSettings.sampleRate=8000", TransportKind.Http, "AudioSettings", "8000/64/2" },
        { "audioSettings.sampleRate=16000", TransportKind.Http, "AudioSettings", "16000/128/2" },
        { "audioSettings.sampleRate=11025;;audioSettings.bitrate=8", TransportKind.Http, "AudioSettings", "11025/8/2" },
        { "audioSettings.bitrate=320", TransportKind.Http, "AudioSettings", "44100/320/2" },
        { "audioSettings.channels=1", TransportKind.Http, "AudioSettings", "44100/128/1" },
        { "outputFormat=\"OGG\";;audioSettings.sampleRate=8000;;audioSettings.channels=1", TransportKind.Http, "AudioSettings", "8000/40/1" },
        { "outputFormat=\"OGG\";;audioSettings.sampleRate=8000", TransportKind.Http, "AudioSettings", "8000/80/2" },
        { "outputFormat=\"OGG\";;audioSettings.sampleRate=48000;;audioSettings.channels=1;;audioSettings.bitrate=224", TransportKind.Http, "AudioSettings", "48000/224/1" },
        { "outputFormat=\"OGG\";;audioSettings.sampleRate=24000;;audioSettings.bitrate=32", TransportKind.Http, "AudioSettings", "24000/32/2" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\";;audioSettings.sampleRate=44100;;audioSettings.channels=1", TransportKind.Pipe, "AudioSettings", "44100/null/1" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\";;audioSettings.sampleRate=384000", TransportKind.Pipe, "AudioSettings", "384000/null/2" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\";;audioSettings.sampleRate=8000", TransportKind.Pipe, "AudioSettings", "8000/null/2" },
        // webhookURL, uploadEndpoint
        { "webhookURL=\"https://example.com/hooks/acestep\"", TransportKind.Http, "WebhookUrl", "https://example.com/hooks/acestep" },
        { "webhookURL=\"http://127.0.0.1:9000/x\"", TransportKind.Http, "WebhookUrl", "http://127.0.0.1:9000/x" },
        { "uploadEndpoint=\"https://bucket.s3.amazonaws.com/a.mp3?X-Amz-Signature=abc123\"", TransportKind.Http, "UploadEndpoint", "https://bucket.s3.amazonaws.com/a.mp3?X-Amz-Signature=abc123" },
        // deliveryMethod
        { "", TransportKind.Http, "DeliveryMethod", "Sync" },
        { "deliveryMethod=\"async\"", TransportKind.Http, "DeliveryMethod", "Async" },
        // ttl: default, minimum; ignored unless URL.
        { "", TransportKind.Http, "Ttl", "86400" },
        { "ttl=60", TransportKind.Http, "Ttl", "60" },
        { "ttl=3600;;outputType=\"base64Data\"", TransportKind.Http, "Ignored", "ttl" },
        // includeCost
        { "", TransportKind.Http, "IncludeCost", "False" },
        { "includeCost=true", TransportKind.Http, "IncludeCost", "True" },
        // inputs.audio: UUID, URL, data URI, attachment (pipe); the job kind follows.
        { "", TransportKind.Http, "Kind", "TextToMusic" },
        { WithAudio, TransportKind.Http, "Kind", "Cover" },
        { WithAudio, TransportKind.Http, "InputAudioUuid", "9b2f4c1e-8d3a-4b5c-a6d7-e8f9a0b1c2d3" },
        { "inputs.audio=\"https://example.com/stem.wav\"", TransportKind.Http, "InputAudioKind", "Url" },
        { "inputs.audio=\"data:audio/wav;base64,UklGRiQAAABXQVZF\"", TransportKind.Http, "InputAudioKind", "DataUri" },
        { "inputs.audio=\"data:audio/mpeg;codecs=mp3;base64,SUQz\"", TransportKind.Http, "InputAudioKind", "DataUri" },
        { "inputs.audio=\"UklGRiQAAABXQVZF\"", TransportKind.Http, "InputAudioKind", "Base64" },
        { "inputs.audio=\"attachment:1\"", TransportKind.Pipe, "InputAudioAttachment", "1" },
        { "inputs={}", TransportKind.Http, "Kind", "TextToMusic" },
        { WithAudio + "duration=30", TransportKind.Http, "Ignored", "duration" },
        // settings.bpm
        { "settings.bpm=30", TransportKind.Http, "Bpm", "30" },
        { "settings.bpm=300", TransportKind.Http, "Bpm", "300" },
        { "", TransportKind.Http, "Bpm", "null" },
        // settings.coverConditioningScale: grid 0.01; meaningful for cover only.
        { "", TransportKind.Http, "CoverConditioningScale", "1" },
        { WithAudio + "settings.coverConditioningScale=0.333", TransportKind.Http, "CoverConditioningScale", "0.33" },
        { WithAudio + "settings.coverConditioningScale=0", TransportKind.Http, "Ignored", "" },
        { "settings.coverConditioningScale=0.5", TransportKind.Http, "Ignored", "settings.coverConditioningScale" },
        // settings.guidanceType
        { "", TransportKind.Http, "GuidanceType", "Apg" },
        { "settings.guidanceType=\"cfg\"", TransportKind.Http, "GuidanceType", "Cfg" },
        { "settings.guidanceType=\"APG\"", TransportKind.Http, "GuidanceType", "Apg" },
        // settings.keyScale: normalised.
        { "settings.keyScale=\"f# MINOR\"", TransportKind.Http, "KeyScale", "F# minor" },
        { "settings.keyScale=\"B♭ major\"", TransportKind.Http, "KeyScale", "Bb major" },
        { "settings.keyScale=\"C♯ Minor\"", TransportKind.Http, "KeyScale", "C# minor" },
        { "settings.keyScale=\"  a   minor \"", TransportKind.Http, "KeyScale", "A minor" },
        { "settings.keyScale=\"\"", TransportKind.Http, "KeyScale", "null" },
        // settings.lyrics: 10 and 3000 characters; absent = instrumental.
        { "settings.lyrics=\"la la la!!\"", TransportKind.Http, "Lyrics", "la la la!!" },
        { "settings.lyrics=@la*1500", TransportKind.Http, "Lyrics.Length", "3000" },
        { "", TransportKind.Http, "Lyrics", "null" },
        // settings.repaintingStart / repaintingEnd (with audio → repaint).
        { WithAudio + "settings.repaintingStart=-300", TransportKind.Http, "Kind", "Repaint" },
        { WithAudio + "settings.repaintingStart=300", TransportKind.Http, "RepaintingStart", "300" },
        { WithAudio + "settings.repaintingEnd=0.1", TransportKind.Http, "RepaintingEnd", "0.1" },
        { WithAudio + "settings.repaintingEnd=300", TransportKind.Http, "Kind", "Repaint" },
        { WithAudio + "settings.repaintingStart=10.25;;settings.repaintingEnd=20.5", TransportKind.Http, "RepaintingStart", "10.25" },
        { WithAudio + "settings.repaintingStart=-5;;settings.repaintingEnd=0", TransportKind.Http, "RepaintingEnd", "0" },
        { WithAudio + "settings.repaintingEnd=10", TransportKind.Http, "Ignored", "" },
        // settings.timeSignature: integer or numeric string, "" = model decides.
        { "settings.timeSignature=\"3\"", TransportKind.Http, "TimeSignature", "3" },
        { "settings.timeSignature=6", TransportKind.Http, "TimeSignature", "6" },
        { "settings.timeSignature=2", TransportKind.Http, "TimeSignature", "2" },
        { "settings.timeSignature=\"\"", TransportKind.Http, "TimeSignature", "null" },
        { "settings.timeSignature=4.0", TransportKind.Http, "TimeSignature", "4" },
        // settings.vocalLanguage
        { "", TransportKind.Http, "VocalLanguage", "en" },
        { "settings.vocalLanguage=\"yue\"", TransportKind.Http, "VocalLanguage", "yue" },
        { "settings.vocalLanguage=\"ZH\"", TransportKind.Http, "VocalLanguage", "zh" },
        { "settings.vocalLanguage=\"unknown\"", TransportKind.Http, "VocalLanguage", "unknown" },
        { "settings={}", TransportKind.Http, "VocalLanguage", "en" },
    };

    /// <summary>patch, transport, expected code, expected parameter (compound: paths joined by ", ").</summary>
    public static TheoryData<string, TransportKind, string, string> InvalidCases => new()
    {
        // taskType
        { "-taskType", TransportKind.Http, "missingTaskType", "taskType" },
        { "taskType=\"imageInference\"", TransportKind.Http, "invalidTaskType", "taskType" },
        { "taskType=5", TransportKind.Http, "invalidTaskType", "taskType" },
        // taskUUID
        { "-taskUUID", TransportKind.Http, "missingTaskUUID", "taskUUID" },
        { "taskUUID=\"not-a-uuid\"", TransportKind.Http, "invalidTaskUUID", "taskUUID" },
        { "taskUUID=\"3f0b8a0e-6c1d-1e2f-9a3b-5c6d7e8f9a0b\"", TransportKind.Http, "invalidTaskUUID", "taskUUID" }, // version 1
        { "taskUUID=\"3f0b8a0e-6c1d-4e2f-ca3b-5c6d7e8f9a0b\"", TransportKind.Http, "invalidTaskUUID", "taskUUID" }, // variant c
        { "taskUUID=\"{3f0b8a0e-6c1d-4e2f-9a3b-5c6d7e8f9a0b}\"", TransportKind.Http, "invalidTaskUUID", "taskUUID" },
        { "taskUUID=\"3f0b8a0e6c1d4e2f9a3b5c6d7e8f9a0b\"", TransportKind.Http, "invalidTaskUUID", "taskUUID" },
        { "taskUUID=123", TransportKind.Http, "invalidTaskUUID", "taskUUID" },
        // model
        { "-model", TransportKind.Http, "missingModel", "model" },
        { "model=\"runware:ace-step@v1.5-xl\"", TransportKind.Http, "unsupportedModel", "model" },
        { "model=\"runware:ace-step@v1.5-BASE\"", TransportKind.Http, "unsupportedModel", "model" },
        { "model=42", TransportKind.Http, "invalidModel", "model" },
        // positivePrompt
        { "-positivePrompt", TransportKind.Http, "missingPositivePrompt", "positivePrompt" },
        { "positivePrompt=\"a\"", TransportKind.Http, "invalidPositivePrompt", "positivePrompt" },
        { "positivePrompt=@x*3001", TransportKind.Http, "invalidPositivePrompt", "positivePrompt" },
        { "positivePrompt=\"   \"", TransportKind.Http, "invalidPositivePrompt", "positivePrompt" },
        { "positivePrompt=5", TransportKind.Http, "invalidPositivePrompt", "positivePrompt" },
        { "positivePrompt=null", TransportKind.Http, "missingPositivePrompt", "positivePrompt" },
        // negativePrompt
        { "negativePrompt=\"x\"", TransportKind.Http, "invalidNegativePrompt", "negativePrompt" },
        { "negativePrompt=@x*3001", TransportKind.Http, "invalidNegativePrompt", "negativePrompt" },
        { "negativePrompt=true", TransportKind.Http, "invalidNegativePrompt", "negativePrompt" },
        // duration
        { "duration=5.99", TransportKind.Http, "invalidDuration", "duration" },
        { "duration=300.01", TransportKind.Http, "invalidDuration", "duration" },
        { "duration=-1", TransportKind.Http, "invalidDuration", "duration" },
        { "duration=\"60\"", TransportKind.Http, "invalidDuration", "duration" },
        // seed
        { "seed=-1", TransportKind.Http, "invalidSeed", "seed" },
        { "seed=2147483648", TransportKind.Http, "invalidSeed", "seed" },
        { "seed=1.5", TransportKind.Http, "invalidSeed", "seed" },
        { "seed=\"42\"", TransportKind.Http, "invalidSeed", "seed" },
        // steps
        { "steps=0", TransportKind.Http, "invalidSteps", "steps" },
        { "steps=301", TransportKind.Http, "invalidSteps", "steps" },
        { "steps=10.5", TransportKind.Http, "invalidSteps", "steps" },
        { "steps=\"100\"", TransportKind.Http, "invalidSteps", "steps" },
        // CFGScale
        { "CFGScale=0.99", TransportKind.Http, "invalidCFGScale", "CFGScale" },
        { "CFGScale=30.01", TransportKind.Http, "invalidCFGScale", "CFGScale" },
        { "CFGScale=\"8.5\"", TransportKind.Http, "invalidCFGScale", "CFGScale" },
        // strength
        { "strength=-0.01", TransportKind.Http, "invalidStrength", "strength" },
        { "strength=1.01", TransportKind.Http, "invalidStrength", "strength" },
        { "strength=\"0.5\"", TransportKind.Http, "invalidStrength", "strength" },
        // numberResults
        { "numberResults=0", TransportKind.Http, "invalidNumberResults", "numberResults" },
        { "numberResults=5", TransportKind.Http, "invalidNumberResults", "numberResults" },
        { "numberResults=2.5", TransportKind.Http, "invalidNumberResults", "numberResults" },
        // outputType
        { "outputType=\"mp3\"", TransportKind.Http, "invalidOutputType", "outputType" },
        { "outputType=1", TransportKind.Http, "invalidOutputType", "outputType" },
        { "outputType=\"attachment\"", TransportKind.Http, "unsupportedOutputType", "outputType" },
        // outputFormat
        { "outputFormat=\"MP4\"", TransportKind.Http, "invalidOutputFormat", "outputFormat" },
        { "outputFormat=\"PCM_F32\"", TransportKind.Http, "unsupportedOutputFormat", "outputFormat" },
        { "outputFormat=\"PCM_F32\";;outputType=\"URL\"", TransportKind.Pipe, "incompatibleParameters", "outputFormat, outputType" },
        { "outputFormat=\"PCM_F32\"", TransportKind.Pipe, "incompatibleParameters", "outputFormat, outputType" },
        // audioSettings
        { "audioSettings=\"44100\"", TransportKind.Http, "invalidAudioSettings", "audioSettings" },
        { "outputFormat=\"WAV\";;audioSettings.sampleRate=48000", TransportKind.Http, "unsupportedAudioSettings", "audioSettings" },
        { "outputFormat=\"FLAC\";;audioSettings={}", TransportKind.Http, "unsupportedAudioSettings", "audioSettings" },
        { "audioSettings.sampleRate=44000", TransportKind.Http, "invalidSampleRate", "audioSettings.sampleRate" },
        { "audioSettings.sampleRate=\"44100\"", TransportKind.Http, "invalidSampleRate", "audioSettings.sampleRate" },
        { "audioSettings.bitrate=31", TransportKind.Http, "invalidBitrate", "audioSettings.bitrate" }, // 44100 Hz: 32–320
        { "audioSettings.bitrate=321", TransportKind.Http, "invalidBitrate", "audioSettings.bitrate" },
        { "audioSettings.sampleRate=8000;;audioSettings.bitrate=65", TransportKind.Http, "invalidBitrate", "audioSettings.bitrate" },
        { "audioSettings.bitrate=\"128\"", TransportKind.Http, "invalidBitrate", "audioSettings.bitrate" },
        { "audioSettings.channels=3", TransportKind.Http, "invalidChannels", "audioSettings.channels" },
        { "audioSettings.channels=\"2\"", TransportKind.Http, "invalidChannels", "audioSettings.channels" },
        { "outputFormat=\"OGG\";;audioSettings.sampleRate=44100", TransportKind.Http, "invalidSampleRate", "audioSettings.sampleRate" },
        { "outputFormat=\"OGG\";;audioSettings.sampleRate=8000;;audioSettings.channels=1;;audioSettings.bitrate=41", TransportKind.Http, "invalidBitrate", "audioSettings.bitrate" },
        { "outputFormat=\"OGG\";;audioSettings.sampleRate=8000;;audioSettings.bitrate=8", TransportKind.Http, "invalidBitrate", "audioSettings.bitrate" }, // stereo minimum 16
        { "outputFormat=\"OGG\";;audioSettings.bitrate=257", TransportKind.Http, "invalidBitrate", "audioSettings.bitrate" }, // 48000 stereo: 48–256
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\";;audioSettings.sampleRate=7999", TransportKind.Pipe, "invalidSampleRate", "audioSettings.sampleRate" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\";;audioSettings.sampleRate=384001", TransportKind.Pipe, "invalidSampleRate", "audioSettings.sampleRate" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\";;audioSettings.bitrate=128", TransportKind.Pipe, "unsupportedBitrate", "audioSettings.bitrate" },
        { "outputFormat=\"PCM_F32\";;outputType=\"attachment\";;audioSettings.channels=6", TransportKind.Pipe, "invalidChannels", "audioSettings.channels" },
        // webhookURL, uploadEndpoint
        { "webhookURL=\"ftp://example.com/hook\"", TransportKind.Http, "invalidWebhookURL", "webhookURL" },
        { "webhookURL=\"not a url\"", TransportKind.Http, "invalidWebhookURL", "webhookURL" },
        { "webhookURL=\"/relative/hook\"", TransportKind.Http, "invalidWebhookURL", "webhookURL" },
        { "webhookURL=5", TransportKind.Http, "invalidWebhookURL", "webhookURL" },
        { "uploadEndpoint=\"s3://bucket/key\"", TransportKind.Http, "invalidUploadEndpoint", "uploadEndpoint" },
        { "uploadEndpoint=\"file:///tmp/out.mp3\"", TransportKind.Http, "invalidUploadEndpoint", "uploadEndpoint" },
        // deliveryMethod
        { "deliveryMethod=\"later\"", TransportKind.Http, "invalidDeliveryMethod", "deliveryMethod" },
        { "deliveryMethod=false", TransportKind.Http, "invalidDeliveryMethod", "deliveryMethod" },
        // ttl
        { "ttl=59", TransportKind.Http, "invalidTtl", "ttl" },
        { "ttl=\"3600\"", TransportKind.Http, "invalidTtl", "ttl" },
        { "ttl=60.5", TransportKind.Http, "invalidTtl", "ttl" },
        { "ttl=2147483648", TransportKind.Http, "invalidTtl", "ttl" },
        // includeCost
        { "includeCost=\"true\"", TransportKind.Http, "invalidIncludeCost", "includeCost" },
        { "includeCost=1", TransportKind.Http, "invalidIncludeCost", "includeCost" },
        // inputs, inputs.audio
        { "inputs=\"abc\"", TransportKind.Http, "invalidInputs", "inputs" },
        { "inputs=[]", TransportKind.Http, "invalidInputs", "inputs" },
        { "inputs.audio=\"\"", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"hello.wav\"", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"ftp://example.com/a.wav\"", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"data:image/png;base64,iVBORw0K\"", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"data:audio/wav;base64,@@@@\"", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"data:audio/wav,RIFF\"", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"data:audio/wav;base64,\"", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"attachment:1\"", TransportKind.Http, "unsupportedAudio", "inputs.audio" },
        { "inputs.audio=\"attachment:0\"", TransportKind.Pipe, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"attachment:x\"", TransportKind.Pipe, "invalidAudio", "inputs.audio" },
        { "inputs.audio=\"attachment:-1\"", TransportKind.Pipe, "invalidAudio", "inputs.audio" },
        { "inputs.audio=42", TransportKind.Http, "invalidAudio", "inputs.audio" },
        { "inputs.audio=[\"a\"]", TransportKind.Http, "invalidAudio", "inputs.audio" },
        // settings
        { "settings=5", TransportKind.Http, "invalidSettings", "settings" },
        { "settings.bpm=29", TransportKind.Http, "invalidBpm", "settings.bpm" },
        { "settings.bpm=301", TransportKind.Http, "invalidBpm", "settings.bpm" },
        { "settings.bpm=120.5", TransportKind.Http, "invalidBpm", "settings.bpm" },
        { "settings.bpm=\"120\"", TransportKind.Http, "invalidBpm", "settings.bpm" },
        { "settings.coverConditioningScale=-0.1", TransportKind.Http, "invalidCoverConditioningScale", "settings.coverConditioningScale" },
        { "settings.coverConditioningScale=1.01", TransportKind.Http, "invalidCoverConditioningScale", "settings.coverConditioningScale" },
        { "settings.coverConditioningScale=\"1\"", TransportKind.Http, "invalidCoverConditioningScale", "settings.coverConditioningScale" },
        { "settings.guidanceType=\"pag\"", TransportKind.Http, "invalidGuidanceType", "settings.guidanceType" },
        { "settings.guidanceType=1", TransportKind.Http, "invalidGuidanceType", "settings.guidanceType" },
        { "settings.keyScale=\"H major\"", TransportKind.Http, "invalidKeyScale", "settings.keyScale" },
        { "settings.keyScale=\"C dorian\"", TransportKind.Http, "invalidKeyScale", "settings.keyScale" },
        { "settings.keyScale=\"Cmajor\"", TransportKind.Http, "invalidKeyScale", "settings.keyScale" },
        { "settings.keyScale=\"C## major\"", TransportKind.Http, "invalidKeyScale", "settings.keyScale" },
        { "settings.keyScale=\"CB major\"", TransportKind.Http, "invalidKeyScale", "settings.keyScale" },
        { "settings.keyScale=4", TransportKind.Http, "invalidKeyScale", "settings.keyScale" },
        { "settings.lyrics=\"too short\"", TransportKind.Http, "invalidLyrics", "settings.lyrics" },
        { "settings.lyrics=@x*3001", TransportKind.Http, "invalidLyrics", "settings.lyrics" },
        { "settings.lyrics=7", TransportKind.Http, "invalidLyrics", "settings.lyrics" },
        { WithAudio + "settings.repaintingStart=-300.1", TransportKind.Http, "invalidRepaintingStart", "settings.repaintingStart" },
        { WithAudio + "settings.repaintingStart=300.1", TransportKind.Http, "invalidRepaintingStart", "settings.repaintingStart" },
        { WithAudio + "settings.repaintingStart=\"0\"", TransportKind.Http, "invalidRepaintingStart", "settings.repaintingStart" },
        { WithAudio + "settings.repaintingEnd=-0.1", TransportKind.Http, "invalidRepaintingEnd", "settings.repaintingEnd" },
        { WithAudio + "settings.repaintingEnd=300.1", TransportKind.Http, "invalidRepaintingEnd", "settings.repaintingEnd" },
        { WithAudio + "settings.repaintingEnd=0", TransportKind.Http, "invalidRepaintingEnd", "settings.repaintingEnd" }, // empty region from the default start 0
        { "settings.timeSignature=5", TransportKind.Http, "invalidTimeSignature", "settings.timeSignature" },
        { "settings.timeSignature=\"5\"", TransportKind.Http, "invalidTimeSignature", "settings.timeSignature" },
        { "settings.timeSignature=\"4/4\"", TransportKind.Http, "invalidTimeSignature", "settings.timeSignature" },
        { "settings.timeSignature=4.5", TransportKind.Http, "invalidTimeSignature", "settings.timeSignature" },
        { "settings.timeSignature=true", TransportKind.Http, "invalidTimeSignature", "settings.timeSignature" },
        { "settings.timeSignature=0", TransportKind.Http, "invalidTimeSignature", "settings.timeSignature" },
        { "settings.vocalLanguage=\"english\"", TransportKind.Http, "invalidVocalLanguage", "settings.vocalLanguage" },
        { "settings.vocalLanguage=\"xx\"", TransportKind.Http, "invalidVocalLanguage", "settings.vocalLanguage" },
        { "settings.vocalLanguage=1", TransportKind.Http, "invalidVocalLanguage", "settings.vocalLanguage" },
        // Unknown fields at every level.
        { "foo=1", TransportKind.Http, "unknownParameter", "foo" },
        { "cfgScale=7", TransportKind.Http, "unknownParameter", "cfgScale" },
        { "settings.tempo=120", TransportKind.Http, "unknownParameter", "settings.tempo" },
        { "inputs.image=\"x\"", TransportKind.Http, "unknownParameter", "inputs.image" },
        { "audioSettings.quality=5", TransportKind.Http, "unknownParameter", "audioSettings.quality" },
        // Cross-field: repainting needs input audio; start before end.
        { "settings.repaintingStart=5", TransportKind.Http, "incompatibleParameters", "settings.repaintingStart, inputs.audio" },
        { "settings.repaintingEnd=5", TransportKind.Http, "incompatibleParameters", "settings.repaintingEnd, inputs.audio" },
        { "settings.repaintingStart=1;;settings.repaintingEnd=5", TransportKind.Http, "incompatibleParameters", "settings.repaintingStart, settings.repaintingEnd, inputs.audio" },
        { WithAudio + "settings.repaintingStart=10;;settings.repaintingEnd=5", TransportKind.Http, "incompatibleParameters", "settings.repaintingStart, settings.repaintingEnd" },
        { WithAudio + "settings.repaintingStart=5;;settings.repaintingEnd=5", TransportKind.Http, "incompatibleParameters", "settings.repaintingStart, settings.repaintingEnd" },
    };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Accepts_and_normalises(string patch, TransportKind transport, string property, string expected)
    {
        var result = AudioInferenceValidator.Validate(Patch(MinimalTask(), patch), transport);

        Assert.True(result.IsValid, string.Join("\n", result.Errors.Select(e => $"{e.Code} {e.Parameter}: {e.Message}")));
        Assert.Equal(expected, Invariant(s_properties[property](result.Value)));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Rejects_with_the_field_and_code(string patch, TransportKind transport, string code, string parameter)
    {
        var result = AudioInferenceValidator.Validate(Patch(MinimalTask(), patch), transport);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(parameter, error.Parameter?.ToString());
        Assert.Equal("audioInference", error.TaskType);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Matches(@"[.?]$", error.Message);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
    }
}
