using AceStep.Plugin.EngineLink;

namespace AceStep.Plugin.Session;

/// <summary>
/// Gives the control page the audio of the instance's takes so it can audition them: each new take as it arrives, and
/// from their WAV files the takes the page cannot play yet — those restored with the project, and all of them again
/// after the session was re-opened (a restarted engine has forgotten them). Best effort: a take the page cannot get
/// still plays in the DAW. Worker loop only.
/// </summary>
internal sealed class TakeAudioSync(TakeLibrary library)
{
    private readonly HashSet<string> _tried = new(StringComparer.Ordinal);
    private Task _sync = Task.CompletedTask;
    private int _syncedOpens;
    private int _checkedVersion = -1;

    /// <summary>Hands over a take that just arrived.</summary>
    public void Put(SessionClient session, string id, float[] interleaved, int rate, int channels, CancellationToken token)
    {
        _tried.Add(id);
        _ = PutAsync(session, id, interleaved, rate, channels, token);
    }

    /// <summary>Starts sending, one file at a time, the takes the page has no audio for (nothing while a batch runs).</summary>
    public void Sync(SessionClient session, CancellationToken token)
    {
        if (!_sync.IsCompleted)
            return;
        if (session.OpenCount != _syncedOpens)
        {
            _syncedOpens = session.OpenCount;
            _tried.Clear();
            library.ClearAudioUrls();
        }
        else if (library.Version == _checkedVersion)
        {
            return;   // called every loop tick: nothing changed in the takes since the last look
        }

        _checkedVersion = library.Version;

        var pending = library.WithoutAudioUrl().Where(t => !_tried.Contains(t.Id)).ToList();
        if (pending.Count == 0)
            return;
        foreach (var take in pending)
            _tried.Add(take.Id);
        _sync = Task.Run(async () =>
        {
            foreach (var take in pending)
            {
                try
                {
                    var wav = WavFile.Read(take.File);
                    await PutAsync(session, take.Id, wav.Samples, wav.SampleRate, wav.Channels, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
                {
                    // Unreadable now: the page shows the take without Audition.
                }
            }
        }, CancellationToken.None);
    }

    private async Task PutAsync(SessionClient session, string id, float[] interleaved, int rate, int channels, CancellationToken token)
    {
        try
        {
            library.SetAudioUrl(id, await session.PutTakeAsync(id, interleaved, rate, channels, token).ConfigureAwait(false));
        }
        catch (Exception)
        {
            // Nobody awaits this: whatever went wrong (engine gone, connection broken, refused, stopped), the page
            // cannot audition this take, and it still plays in the DAW.
        }
    }
}
