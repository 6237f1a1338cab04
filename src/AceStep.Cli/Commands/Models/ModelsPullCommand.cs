using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using AceStep.Engine.ModelStore;

namespace AceStep.Cli.Commands.Models;

/// <summary><c>acestep models pull</c>: download and check models from the Hugging Face hub.</summary>
public static class ModelsPullCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions global, ModelsOptions options)
    {
        var names = ModelsOptions.Names("The models to install, e.g. acestep-v15-turbo vae Qwen3-Embedding-0.6B acestep-5Hz-lm-1.7B.");
        var endpoint = new Option<string?>("--endpoint")
        {
            Description = $"Hugging Face hub address or a mirror of it (default: {HubOptions.EndpointVariable}, else https://huggingface.co). A token, if needed, comes from {HubOptions.TokenVariable}.",
        };
        var retries = new Option<int>("--retries")
        {
            Description = "Attempts per request that makes no progress before giving up (an attempt that moves bytes resets the count).",
            DefaultValueFactory = _ => new DownloadOptions().MaxAttempts,
        };
        retries.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--retries must be at least 1.");
            }
        });
        var command = new Command("pull", "Download models from the Hugging Face hub, resuming interrupted downloads and checking every file.");
        command.Arguments.Add(names);
        command.Options.Add(endpoint);
        command.Options.Add(retries);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var json = parse.GetValue(global.Json);
            var layout = options.Layout(parse);
            var hubOptions = HubOptions.FromEnvironment();
            if (parse.GetValue(endpoint) is { Length: > 0 } address)
            {
                hubOptions = hubOptions with { Endpoint = HubOptions.ParseEndpoint(address, "--endpoint") };
            }
            // Unknown names fail before anything is downloaded.
            var models = parse.GetValue(names)!.Select(layout.Catalogue.Get).Distinct().ToList();
            using var http = HubClient.CreateHttpClient();
            var download = new DownloadOptions { MaxAttempts = parse.GetValue(retries) };
            var installer = new ModelInstaller(layout, new HubClient(http, hubOptions, download));
            var lines = json ? Console.Error : Console.Out;
            var results = await TransferDisplay.RunAsync(TransferDisplay.CanDrawBars(json), lines, async progress =>
            {
                var done = new List<PullResult>();
                foreach (var model in models)
                {
                    done.Add(await installer.PullAsync(model.Id, progress, cancellationToken));
                }
                return done;
            });
            if (json)
            {
                var items = new JsonArray();
                foreach (var result in results)
                {
                    items.Add(new JsonObject
                    {
                        ["id"] = result.Model.Id,
                        ["directory"] = result.Directory,
                        ["revision"] = result.Manifest.Revision,
                        ["files"] = result.Manifest.Files.Count,
                        ["sizeBytes"] = result.Manifest.TotalBytes,
                        ["downloadedBytes"] = result.DownloadedBytes,
                    });
                }
                Console.Out.WriteLine(new JsonObject { ["modelsDirectory"] = layout.Root, ["models"] = items }.ToJsonString());
            }
            else
            {
                foreach (var result in results)
                {
                    var fetched = result.DownloadedBytes == 0 ? "already up to date" : $"downloaded {ByteSize.Format(result.DownloadedBytes)}";
                    AnsiConsole.MarkupLineInterpolated(
                        $"[green]{result.Model.Id}[/] installed in {result.Directory} ({result.Manifest.Files.Count} files, {ByteSize.Format(result.Manifest.TotalBytes)}; {fetched})");
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
