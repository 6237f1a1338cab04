// AceStep control page. Talks only to the engine that served it:
//   GET  view?after=<revision>  long poll for what the plugin published
//   POST commands               what the producer did (the plugin polls them from the engine)
'use strict';

(() => {
  const instanceId = decodeURIComponent(location.pathname.split('/')[2] || '');
  const base = `/control/${encodeURIComponent(instanceId)}`;
  const $ = (id) => document.getElementById(id);
  const form = $('settings-form');
  const fields = ['prompt', 'lyrics', 'mode', 'trackName', 'trackClasses', 'model', 'keyScale', 'bpm', 'language', 'strength', 'coverScale', 'steps', 'seed'];
  const colors = readColors();

  let view = null;
  let revision = -1;
  let appliedSettings = null;   // the view settings last copied into the form
  let bpmFollowsHost = true;    // true while the producer has not typed a BPM of their own
  let lastEdit = 0;
  let saveTimer = 0;
  let lastJobState = 'idle';

  function readColors() {
    const css = getComputedStyle(document.documentElement);
    const v = (name) => css.getPropertyValue(name).trim();
    return { accent: v('--accent'), range: v('--range'), bar: v('--bar'), muted: v('--muted'), bg: v('--panel-2') };
  }

  // ---------- talking to the engine ----------

  async function send(command) {
    let response;
    try {
      response = await fetch(`${base}/commands`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(command),
      });
    } catch {
      showError('The engine did not answer. Is it still running?');
      return null;
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      showError(body.error || `The engine refused the command (HTTP ${response.status}).`);
      if (response.status === 404) setConnection(false);
      return null;
    }
    return body.sequence;
  }

  async function pollViews() {
    for (;;) {
      try {
        const response = await fetch(`${base}/view?after=${revision}`, { cache: 'no-store' });
        if (response.status === 404) {
          setConnection(false);
          await delay(3000);
          continue;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const next = await response.json();
        setConnection(true);
        if (next.revision !== revision) {
          revision = next.revision;
          render(next);
        }
      } catch {
        setConnection(null);
        await delay(2000);
      }
    }
  }

  const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function setConnection(state) {
    const pill = $('connection');
    pill.classList.toggle('ok', state === true);
    pill.classList.toggle('bad', state !== true);
    pill.textContent = state === true ? 'Connected to the plugin'
      : state === false ? 'Plugin instance not connected' : 'Engine not reachable';
    document.body.dataset.connected = String(state === true);
  }

  // ---------- settings ----------

  function settingsFromForm() {
    const number = (id) => Number($(id).value);
    const bpm = $('bpm').value.trim();
    return {
      mode: $('mode').value,
      prompt: $('prompt').value,
      lyrics: $('lyrics').value,
      keyScale: $('keyScale').value,
      bpm: bpmFollowsHost || bpm === '' ? null : Number(bpm),
      strength: number('strength'),
      coverScale: number('coverScale'),
      steps: Math.round(number('steps')),
      seed: Math.round(number('seed')),
      language: $('language').value,
      model: $('model').value,
      trackName: $('trackName').value,
      trackClasses: [...$('trackClasses').selectedOptions].map((o) => o.value),
    };
  }

  function applySettings(settings, context) {
    $('prompt').value = settings.prompt ?? '';
    $('lyrics').value = settings.lyrics ?? '';
    $('mode').value = settings.mode ?? 'repaint';
    $('model').value = settings.model === 'turbo' ? 'turbo' : 'base';
    $('trackName').value = hasOption('trackName', settings.trackName) ? settings.trackName : 'drums';
    const classes = settings.trackClasses ?? [];
    for (const option of $('trackClasses').options) option.selected = classes.includes(option.value);
    $('keyScale').value = hasOption('keyScale', settings.keyScale) ? settings.keyScale : 'auto';
    $('language').value = hasOption('language', settings.language) ? settings.language : 'en';
    $('strength').value = settings.strength ?? 0.5;
    $('coverScale').value = settings.coverScale ?? 1;
    $('steps').value = settings.steps ?? 32;
    $('seed').value = settings.seed ?? 0;
    bpmFollowsHost = settings.bpm == null;
    $('bpm').value = settings.bpm ?? (context?.tempo != null ? round(context.tempo, 2) : '');
    updateOutputs();
  }

  function hasOption(id, value) {
    return [...$(id).options].some((o) => o.value === value);
  }

  function updateOutputs() {
    $('strength-out').textContent = Number($('strength').value).toFixed(2);
    $('coverScale-out').textContent = Number($('coverScale').value).toFixed(2);
    const mode = $('mode').value;
    // extract and complete take the whole source: the task API has no strength for them.
    $('strength').disabled = mode === 'generate' || mode === 'extract' || mode === 'complete';
    $('coverScale').disabled = mode !== 'cover';
    $('trackName-field').hidden = mode !== 'lego' && mode !== 'extract';
    $('trackClasses-field').hidden = mode !== 'complete';
    // The turbo model runs its own 8-step schedule; Steps applies to the base model only.
    $('steps').disabled = $('model').value === 'turbo';
    const tempo = view?.context?.tempo;
    $('bpm-hint').textContent = bpmFollowsHost
      ? (tempo != null ? `From the host (${round(tempo, 2)} BPM)` : 'The host gave no tempo')
      : (tempo != null ? `Overrides the host's ${round(tempo, 2)} BPM` : 'Your own tempo');
  }

  function onEdit(event) {
    if (event.target.id === 'bpm') bpmFollowsHost = false;
    lastEdit = Date.now();
    updateOutputs();
    $('saved-info').textContent = 'Saving…';
    clearTimeout(saveTimer);
    // Debounced: the plugin stores the settings in the DAW project, no need to send every keystroke.
    saveTimer = setTimeout(saveSettings, 600);
  }

  async function saveSettings() {
    clearTimeout(saveTimer);
    saveTimer = 0;
    if (await send({ command: 'settings', settings: settingsFromForm() }) != null) {
      $('saved-info').textContent = 'Saved in the project';
    }
  }

  function formIsBusy() {
    // Never overwrite what the producer is typing with an older echo from the plugin.
    return saveTimer !== 0 || Date.now() - lastEdit < 2000 || form.contains(document.activeElement);
  }

  // ---------- rendering ----------

  function render(next) {
    const first = view === null;
    view = next;
    const context = next.context || {};
    if (first || (!sameSettings(next.settings, appliedSettings) && !formIsBusy())) {
      applySettings(next.settings || {}, context);
      appliedSettings = next.settings;
    } else if (bpmFollowsHost && context.tempo != null && document.activeElement !== $('bpm')) {
      $('bpm').value = round(context.tempo, 2);
    }
    updateOutputs();
    renderContext(next);
    drawWave($('capture-wave'), next.capture, context, true);
    renderJob(next.job || {});
    renderTakes(next.takes || []);
    renderListen(next.listen);
  }

  function sameSettings(a, b) {
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  }

  function renderContext(v) {
    const c = v.context || {};
    const parts = [];
    if (v.trackName) {
      parts.push(`Track “${v.trackName}”`);
      document.title = `AceStep — ${v.trackName}`;
    }
    if (v.hostName) parts.push(v.hostName);
    if (c.tempo != null) parts.push(`${round(c.tempo, 2)} BPM`);
    if (c.numerator && c.denominator) parts.push(`${c.numerator}/${c.denominator}`);
    if (v.sampleRate) parts.push(`${round(v.sampleRate / 1000, 1)} kHz`);
    $('context-info').textContent = parts.join(' · ') || 'The host has not reported its context yet.';
    const source = { hostSelection: 'the host selection', cycle: 'the loop/cycle range', parameters: 'the plugin parameters' }[c.rangeSource] || 'the plugin';
    const bars = c.rangeStartBar && c.rangeEndBar ? `bar ${c.rangeStartBar} – ${c.rangeEndBar}, ` : '';
    $('range-info').textContent = c.rangeStart != null && c.rangeEnd != null
      ? `Range ${bars}${time(c.rangeStart)} – ${time(c.rangeEnd)} (${round(c.rangeEnd - c.rangeStart, 2)} s), from ${source}.`
      : 'No range selected yet: select one in the host.';
  }

  function renderJob(job) {
    const running = job.state === 'running' || job.state === 'connecting';
    const progress = Math.max(0, Math.min(100, Number(job.progress) || 0));
    // A failed or cancelled job keeps its bar where it stopped (tinted by its state), so the producer sees how far it got.
    const shown = job.state === 'done' ? 100 : running || job.state === 'failed' || job.state === 'cancelled' ? progress : 0;
    $('progress-bar').style.width = `${shown}%`;
    $('progress').setAttribute('aria-valuenow', String(Math.round(shown)));
    $('progress').dataset.state = job.state || 'idle';
    const stage = job.stage ? job.stage.replace(/-/g, ' ') : '';
    $('stage').textContent = {
      idle: 'Idle',
      connecting: 'Connecting to the engine…',
      running: `${stage ? capitalize(stage) : 'Working'} · ${Math.round(progress)}%`,
      done: 'Done: the take is ready.',
      failed: 'The take failed.',
      cancelled: 'Cancelled.',
    }[job.state] ?? job.state ?? '';
    $('generate').disabled = running;
    $('cancel').disabled = !running;
    if (job.state === 'failed') {
      showError(job.message ? `The take failed: ${job.message}` : 'The take failed; the plugin gave no reason.');
    } else if (running || lastJobState === 'failed') {
      // A new job, or the failure was followed by anything else: the old message no longer applies.
      hideError();
    }
    lastJobState = job.state;
  }

  function renderTakes(takes) {
    const list = $('takes');
    const template = $('take-template');
    list.replaceChildren();
    $('no-takes').hidden = takes.length > 0;
    // Newest first: that is the one the producer wants to hear.
    takes.map((take, index) => ({ take, index })).reverse().forEach(({ take, index }) => {
      const item = template.content.firstElementChild.cloneNode(true);
      item.dataset.takeId = take.id;
      item.classList.toggle('active', !!take.active);
      const name = item.querySelector('.take-name');
      name.textContent = `Take ${index + 1}`;
      if (take.active) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = 'in use';
        name.append(badge);
      }
      if (take.missing) {
        // The plugin lists it (it is in the project) but its WAV file is gone: it cannot play or be auditioned.
        const badge = document.createElement('span');
        badge.className = 'badge missing';
        badge.textContent = 'file missing';
        badge.title = take.file ? `Not found: ${take.file}` : 'The take\'s file was not found.';
        name.append(badge);
      }
      const s = take.settings || {};
      item.querySelector('.take-meta').textContent =
        [take.startBar ? `at bar ${take.startBar}` : `at ${time(take.start || 0)}`, `${round(take.duration || 0, 1)} s`, `seed ${take.seed}`, s.mode, s.prompt && `“${s.prompt}”`].filter(Boolean).join(' · ');
      const canvas = item.querySelector('.take-wave');
      canvas.setAttribute('aria-label', `Waveform of take ${index + 1}`);
      drawWave(canvas, take.waveform, null, false);
      const audition = item.querySelector('.audition');
      audition.disabled = !take.audioUrl;
      audition.title = take.audioUrl ? '' : 'The plugin has not sent this take\'s audio yet.';
      audition.setAttribute('aria-label', `Audition take ${index + 1}`);
      audition.addEventListener('click', () => auditionTake(take, index));
      const use = item.querySelector('.use');
      use.textContent = take.active ? 'In use' : 'Use this take';
      use.disabled = !!take.active;
      use.setAttribute('aria-label', take.active ? `Take ${index + 1} is in use` : `Use take ${index + 1}`);
      use.addEventListener('click', () => send({ command: 'selectTake', takeId: take.id }));
      const del = item.querySelector('.delete');
      del.setAttribute('aria-label', `Delete take ${index + 1}`);
      del.addEventListener('click', () => send({ command: 'deleteTake', takeId: take.id }));
      list.append(item);
    });
  }

  function auditionTake(take, index) {
    if (!take.audioUrl) return;
    const player = $('player');
    // Same origin as the page whatever host name the producer used (localhost or 127.0.0.1).
    const url = new URL(take.audioUrl, location.href);
    player.src = url.pathname;
    $('player-info').textContent = `Take ${index + 1}`;
    player.play().catch(() => { /* autoplay refused: the controls are there */ });
  }

  function renderListen(listen) {
    $('listen-take').setAttribute('aria-pressed', String(listen !== 'original'));
    $('listen-original').setAttribute('aria-pressed', String(listen === 'original'));
  }

  function drawWave(canvas, wave, context, large) {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round((canvas.clientWidth || canvas.width) * ratio));
    const height = Math.max(1, Math.round((canvas.clientHeight || canvas.height) * ratio));
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, width, height);
    const peaks = wave?.peaks || [];
    const buckets = Math.floor(peaks.length / 2);
    canvas.dataset.buckets = String(buckets);
    if (!wave || buckets === 0) {
      g.fillStyle = colors.muted;
      g.font = `${12 * ratio}px system-ui, sans-serif`;
      g.fillText(large ? 'No audio captured yet: play the range in the host.' : 'No waveform', 8 * ratio, height / 2);
      return;
    }
    const x = (t) => ((t - wave.start) / wave.duration) * width;
    if (context && context.rangeStart != null && context.rangeEnd != null) {
      g.fillStyle = colors.range;
      const from = Math.max(0, x(context.rangeStart));
      const to = Math.min(width, x(context.rangeEnd));
      if (to > from) g.fillRect(from, 0, to - from, height);
    }
    // One filled column per pixel, integer aligned: crisp, and fast for long captures.
    g.fillStyle = colors.accent;
    const mid = height / 2;
    for (let px = 0; px < width; px++) {
      const first = Math.floor((px / width) * buckets);
      const last = Math.max(first + 1, Math.floor(((px + 1) / width) * buckets));
      let lo = 1, hi = -1;
      for (let b = first; b < last && b < buckets; b++) {
        lo = Math.min(lo, peaks[2 * b]);
        hi = Math.max(hi, peaks[2 * b + 1]);
      }
      if (hi < lo) continue;
      const top = Math.floor(mid - hi * mid);
      const bottom = Math.ceil(mid - lo * mid);
      g.fillRect(px, top, 1, Math.max(1, bottom - top));
    }
    if (context) {
      g.fillStyle = colors.bar;
      for (const t of context.barLines || []) {
        const bx = Math.round(x(t));
        if (bx >= 0 && bx < width) g.fillRect(bx, 0, Math.max(1, Math.round(ratio)), height);
      }
      if (context.rangeStart != null && context.rangeEnd != null) {
        g.fillStyle = colors.accent;
        for (const t of [context.rangeStart, context.rangeEnd]) {
          const rx = Math.round(x(t));
          if (rx >= 0 && rx < width) g.fillRect(rx, 0, Math.max(1, Math.round(2 * ratio)), height);
        }
      }
    }
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message;
    box.hidden = false;
  }

  function hideError() {
    $('error').hidden = true;
    $('error').textContent = '';
  }

  const round = (value, places) => Math.round(value * 10 ** places) / 10 ** places;
  const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1);
  function time(seconds) {
    const m = Math.floor(seconds / 60);
    const s = seconds - m * 60;
    return `${m}:${s.toFixed(2).padStart(5, '0')}`;
  }

  // ---------- start ----------

  async function loadOptions() {
    const response = await fetch('/control/assets/options.json');
    const options = await response.json();
    for (const key of options.keys) $('keyScale').append(new Option(key, key));
    for (const language of options.languages) $('language').append(new Option(language.name, language.code));
    const label = (stem) => stem.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
    for (const stem of options.stems) {
      $('trackName').append(new Option(label(stem), stem));
      $('trackClasses').append(new Option(label(stem), stem));
    }
  }

  function wire() {
    for (const id of fields) {
      $(id).addEventListener('input', onEdit);
    }
    form.addEventListener('submit', (e) => e.preventDefault());
    $('generate').addEventListener('click', async () => {
      clearTimeout(saveTimer);
      saveTimer = 0;
      hideError();
      const settings = settingsFromForm();
      // The stem jobs' instruction names the part (Extract the DRUMS track…), so their prompt may stay empty.
      const stemJob = ['lego', 'extract', 'complete'].includes(settings.mode);
      if (!stemJob && !settings.prompt.trim()) {
        showError('Write a prompt first: it tells the model what the take should sound like.');
        $('prompt').focus();
        return;
      }
      $('generate').disabled = true;
      if (await send({ command: 'generate', settings }) == null) {
        $('generate').disabled = false;
      } else {
        // A generate also makes its settings the instance's settings.
        $('saved-info').textContent = 'Saved in the project';
        $('stage').textContent = 'Sent to the plugin…';
      }
    });
    $('cancel').addEventListener('click', () => send({ command: 'cancel' }));
    $('listen-take').addEventListener('click', () => send({ command: 'listen', listen: 'take' }));
    $('listen-original').addEventListener('click', () => send({ command: 'listen', listen: 'original' }));
    window.addEventListener('resize', () => view && drawWave($('capture-wave'), view.capture, view.context || {}, true));
  }

  document.addEventListener('DOMContentLoaded', async () => {
    wire();
    try {
      await loadOptions();
    } catch {
      showError('The page could not load its key and language lists from the engine.');
    }
    pollViews();
  });
})();
