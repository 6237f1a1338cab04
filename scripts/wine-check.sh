#!/usr/bin/env bash
# The Windows check, run from Linux (docs/windows.md): publishes the acestep CLI, which carries the engine, as a
# self-contained win-x64 program and runs it under Wine. It checks what a Windows user gets:
#   - the engine starts (the diagnostic tone engine), keeps its data in %LOCALAPPDATA%\AceStep and finds FFmpeg as
#     ffmpeg.exe/ffprobe.exe through ACESTEP_FFMPEG_DIR (a stand-in Windows program, tests/wine/ffmpeg-stand-in.c);
#   - it answers HTTP (curl from Linux) and its named pipe (the Windows CLI, under Wine);
#   - a generated take is the same file over the pipe (CLI) and over HTTP;
#   - a model job on tiny checkpoints runs through libtorch's Windows build and matches the Linux build's take, and
#     without VCRUNTIME140_1.dll the engine and the job say what to install;
#   - the plugin's Windows code paths: a CHECK-ONLY cross build of the plugin (ILC's Windows object linked by
#     scripts/wine/lld-link-check.sh: lld-link, mingw-w64 and a C stand-in for the MSVC runtime without stack cookie
#     or CFG, so it is never shipped) loaded by our own VST3 host as a Windows program: factory, both classes, Windows
#     IID byte order and HRESULTs, bit-exact pass-through, state round trip, and the HWND editor (on a private Xvfb:
#     attached to a Windows top-level window, what it drew read back with GDI, a click and typed text), Generate
#     from the plugin over the named pipe to a Windows engine, whose take loads, and that take dragged out (OLE,
#     SendInput) onto a RegisterDragDrop window: one CF_HDROP drop of its WAV, and Escape drops nothing;
#   - the PowerShell scripts parse, and setup.ps1 installs what is missing with winget (PowerShell 7 on Linux).
# Two settings are needed under Wine only, and are set here, never by the product:
#   DOTNET_EnableWriteXorExecute=0  (else the runtime dies early in DynamicResolver finalizers under Wine 8)
#   KMP_AFFINITY=disabled           (libtorch's OpenMP aborts on a NUMA call Wine does not implement)
# Ends with a line in dotnet test's summary format, which scripts/test.sh adds to its "N passed, N failed" count.
# Needs wine64, the mingw-w64 C compiler and lld (scripts/setup.sh --tests installs them). Work folder:
# artifacts/wine-check (the CLI publish, ~380 MB, and the plugin host's, ~80 MB, are kept for the next run; the Wine
# prefix, ~700 MB, and the plugin's check bundle are deleted at the end).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

work=$PWD/artifacts/wine-check
app=$work/acestep
ffbin=$work/ffmpeg-stand-in
out=$work/out
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
passed=0
failed=0
started=$(date +%s)

pass() { passed=$((passed + 1)); echo "wine-check: PASS $*"; }
fail() { failed=$((failed + 1)); echo "wine-check: FAIL $*"; }
summary() {
  echo "wine-check: $(( $(date +%s) - started )) s in all"
  local verdict=Passed
  [ "$failed" -eq 0 ] || verdict=Failed
  echo "${verdict}!  - Failed: ${failed}, Passed: ${passed}, Skipped: 0, Total: $((passed + failed)) - wine-check (win-x64 under Wine)"
}

export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mshtml=" WINEARCH=win64
export DOTNET_EnableWriteXorExecute=0 KMP_AFFINITY=disabled
# The Windows programs see Linux paths through Wine's Z: drive.
winpath() { printf 'Z:%s' "${1//\//\\}"; }

engine_pid=
xvfb_pid=
cleanup() {
  [ -n "$engine_pid" ] && kill "$engine_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  "$wineserver" -k 2>/dev/null
  rm -rf "$WINEPREFIX" "$work/plugin-check/AceStep.vst3" "$work/plugin-check/publish"
}
trap cleanup EXIT

if [ ! -x "$wine" ] || ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  fail "wine64 and gcc-mingw-w64-x86-64-win32 are needed (scripts/setup.sh --tests installs them)"
  summary
  exit 1
fi
rm -rf "$WINEPREFIX" "$out" "$ffbin"
mkdir -p "$out" "$ffbin"

# 1. The Windows program: self-contained, as a Windows user gets it (no .NET install needed under Wine). Debug, with
#    no extra properties, so the libraries test.sh has just built are reused (they are RID-neutral): only the CLI is
#    built for win-x64. A Release publish here rebuilds every engine project (measured ~3 min more on 2 cores).
t0=$(date +%s)
if dotnet publish src/AceStep.Cli -c Debug -r win-x64 --self-contained -o "$app" --nologo -v quiet \
     >"$work/publish.log" 2>&1 && [ -f "$app/acestep.exe" ]; then
  pass "dotnet publish -r win-x64 --self-contained of the CLI and engine ($(( $(date +%s) - t0 )) s, $(du -sm "$app" | cut -f1) MB)"
else
  fail "dotnet publish -r win-x64 (see $work/publish.log)"; tail -20 "$work/publish.log"; summary; exit 1
fi
x86_64-w64-mingw32-gcc -O2 -s -o "$ffbin/ffmpeg.exe" tests/wine/ffmpeg-stand-in.c && cp "$ffbin/ffmpeg.exe" "$ffbin/ffprobe.exe"

# 2. The engine as `acestep serve`: default data folder (no --home), FFmpeg from ACESTEP_FFMPEG_DIR, HTTP on a free
#    port, a pipe of its own.
pipe=acestep-wine-check-$$
log=$work/engine.log
t0=$(date +%s)
ACESTEP_FFMPEG_DIR=$(winpath "$ffbin") "$wine" "$app/acestep.exe" serve --diagnostic-tone 5 \
  --http-url http://127.0.0.1:0 --pipe "$pipe" >"$log" 2>&1 &
engine_pid=$!
for _ in $(seq 1 120); do
  grep -q "ready: http" "$log" 2>/dev/null && break
  kill -0 "$engine_pid" 2>/dev/null || break
  sleep 1
done
http=$(grep -o 'ready: http http://127\.0\.0\.1:[0-9]*' "$log" | head -1 | sed 's/ready: http //')
if [ -n "$http" ]; then
  pass "the Windows engine starts under Wine ($(( $(date +%s) - t0 )) s, prefix included)"
else
  fail "the Windows engine did not start"; cat "$log"; summary; exit 1
fi

user_dir="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/AceStep"
if grep -q 'data C:\\users\\[^\\]*\\AppData\\Local\\AceStep' "$log" && [ -d "$user_dir" ] && ls "$user_dir" | grep -q .; then
  pass "data folder is %LOCALAPPDATA%\\AceStep ($(ls "$user_dir" | tr '\n' ' '))"
else
  fail "data folder is not %LOCALAPPDATA%\\AceStep"; grep -i data "$log"
fi

if grep -q 'Using ffmpeg version 0.0-acestep-wine-stand-in' "$log" && grep -q 'ffmpeg-stand-in' "$log"; then
  pass "FFmpeg found as ffmpeg.exe/ffprobe.exe in ACESTEP_FFMPEG_DIR"
else
  fail "FFmpeg stand-in not found"; grep -i ffmpeg "$log"
fi

# 3. HTTP from Linux, the pipe from the Windows CLI.
if curl -sf -H 'Content-Type: application/json' -d '[{"taskType":"ping","ping":true}]' "$http/v1" | grep -q '"pong":true'; then
  pass "HTTP ping answered"
else
  fail "HTTP ping"
fi
if "$wine" "$app/acestep.exe" ping --engine "$pipe" >"$work/ping.log" 2>&1; then
  pass "named-pipe ping from the Windows CLI: $(tr -d '\r' <"$work/ping.log" | sed 's/\x1b\[[0-9;]*m//g' | head -1)"
else
  fail "named-pipe ping"; cat "$work/ping.log"
fi

# 4. One take both ways: the CLI over the pipe (attachment) and HTTP (base64), same seed and settings.
if "$wine" "$app/acestep.exe" generate --engine "$pipe" --no-start --prompt "wine check tone" --duration 6 --seed 7 \
     --model turbo --steps 4 --out "$(winpath "$out/pipe.wav")" >"$work/generate.log" 2>&1 && [ -s "$out/pipe.wav" ]; then
  pass "generate over the pipe wrote $(stat -c %s "$out/pipe.wav") bytes"
else
  fail "generate over the pipe"; cat "$work/generate.log"
fi
uuid=$(cat /proc/sys/kernel/random/uuid)
curl -sf -H 'Content-Type: application/json' "$http/v1" -d "[{\"taskType\":\"audioInference\",\"taskUUID\":\"$uuid\",
  \"model\":\"runware:ace-step@v1.5-turbo\",\"positivePrompt\":\"wine check tone\",\"duration\":6,\"seed\":7,\"steps\":4,
  \"outputType\":\"base64Data\",\"outputFormat\":\"WAV\"}]" >"$work/http.json"
python3 -c 'import base64,json,sys; d=json.load(open(sys.argv[1]))["data"][0]; open(sys.argv[2],"wb").write(base64.b64decode(d["audioBase64Data"]))' \
  "$work/http.json" "$out/http.wav" 2>"$work/http.err"
if [ -s "$out/http.wav" ] && cmp -s "$out/http.wav" "$out/pipe.wav"; then
  pass "the HTTP result is byte-identical to the pipe's"
else
  fail "HTTP and pipe results differ"; head -c 400 "$work/http.json"; cat "$work/http.err"
fi

kill "$engine_pid" 2>/dev/null; wait "$engine_pid" 2>/dev/null; engine_pid=

# 5. A model job through libtorch's Windows build (torch_cpu.dll, with the engine's VC++ runtime check): tiny
#    official-layout checkpoints (tests/wine/AceStep.Wine.TinyModels), the same job by the Windows CLI under Wine and
#    by the Linux CLI (each runs an engine inside the command), the two takes compared sample by sample. The two
#    libtorch builds differ in their kernels, so equal within a small tolerance, not bit for bit.
models=$work/models
rm -rf "$models"
if dotnet run --project tests/wine/AceStep.Wine.TinyModels -- "$models" >"$work/models.log" 2>&1; then
  job=(generate --prompt "wine check tiny model" --duration 6 --seed 7 --steps 2 --model base)
  t0=$(date +%s)
  ACESTEP_MODELS_DIR=$(winpath "$models") "$wine" "$app/acestep.exe" "${job[@]}" --engine "$pipe-model" \
    --out "$(winpath "$out/model-windows.wav")" >"$work/model-windows.log" 2>&1
  windows_s=$(( $(date +%s) - t0 ))
  ACESTEP_HOME=$work/linux-home ACESTEP_MODELS_DIR=$models dotnet run --project src/AceStep.Cli -- "${job[@]}" \
    --engine "$pipe-linux" --out "$out/model-linux.wav" >"$work/model-linux.log" 2>&1
  if [ -s "$out/model-windows.wav" ] && [ -s "$out/model-linux.wav" ] &&
     diff=$(python3 tests/wine/compare-wav.py "$out/model-windows.wav" "$out/model-linux.wav" 5e-3); then
    pass "tiny-checkpoint model job on the Windows libtorch (${windows_s} s): $diff"
  else
    fail "tiny-checkpoint model job: ${diff:-no result}"; tail -5 "$work/model-windows.log" "$work/model-linux.log"
  fi
  # The same job on a Windows without VCRUNTIME140_1.dll (Wine told not to provide it): the engine warns at start
  # and the job fails naming the DLL and the redistributable, instead of libtorch's bare "module not found".
  ACESTEP_MODELS_DIR=$(winpath "$models") WINEDLLOVERRIDES="$WINEDLLOVERRIDES;vcruntime140_1=d" \
    "$wine" "$app/acestep.exe" "${job[@]}" --engine "$pipe-novc" --out "$(winpath "$out/novc.wav")" >"$work/novc.log" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ] && [ ! -e "$out/novc.wav" ] &&
     grep -q 'warn: .*VCRUNTIME140_1.dll not found' "$work/novc.log" &&
     grep -q '^acestep: inferenceError: .*VCRUNTIME140_1.dll not found.*winget install Microsoft.VCRedist.2015+.x64' "$work/novc.log"; then
    pass "without VCRUNTIME140_1.dll the engine warns at start and the job's error names the DLL and the fix"
  else
    fail "missing VC++ runtime not explained (exit $rc)"; grep -v '^\s*0x\|^PE\|^ELF' "$work/novc.log" | tail -8
  fi
else
  fail "writing the tiny checkpoints"; tail -20 "$work/models.log"
fi
rm -rf "$models" "$work/linux-home"

# 6. The plugin's Windows code paths, through a CHECK-ONLY cross build (never shipped; docs/windows.md): ILC makes the
#    plugin's Windows object as on Windows, then scripts/wine/lld-link-check.sh stands in for MSVC's link.exe (lld-link,
#    mingw-w64 import libraries and a C stand-in for the MSVC C runtime without stack cookie or CFG). The bundle goes to
#    the work folder only (Bundle.targets refuses the published one for such a build). Our own VST3 host, published
#    for win-x64, loads it under Wine and prints a PASS/FAIL line per check (tests/wine/AceStep.Wine.PluginHost); the
#    editor's window is saved as artifacts/wine-check/editor-wine.png. The take drag moves the X server's pointer
#    (SendInput), which is one more reason the editor gets a private Xvfb.
plugin=$work/plugin-check
rm -rf "$plugin/AceStep.vst3" "$plugin/publish"
if command -v lld-link >/dev/null 2>&1; then
  t0=$(date +%s)
  if dotnet publish plugin/AceStep.Plugin -c Release -r win-x64 --nologo -v quiet -o "$plugin/publish" \
       -p:DisableUnsupportedError=true -p:IlcUseEnvironmentalTools=true -p:NativeDebugSymbols=false \
       -p:CppLinker="$PWD/scripts/wine/lld-link-check.sh" -p:AceStepCheckOnlyBuild=true \
       -p:AceStepBundleDir="$plugin/AceStep.vst3/" >"$work/plugin-publish.log" 2>&1 &&
     [ -f "$plugin/AceStep.vst3/Contents/x86_64-win/AceStep.vst3" ]; then
    pass "check-only cross build of the plugin for win-x64 (ILC, lld-link, mingw-w64; $(( $(date +%s) - t0 )) s, $(stat -c %s "$plugin/AceStep.vst3/Contents/x86_64-win/AceStep.vst3") bytes)"
    t0=$(date +%s)
    if dotnet publish tests/wine/AceStep.Wine.PluginHost -c Debug -r win-x64 --self-contained -o "$plugin/host" \
         --nologo -v quiet >"$work/plugin-host-publish.log" 2>&1; then
      # The editor needs a display: a private Xvfb, and the Wine processes started without one ended first.
      "$wineserver" -k 2>/dev/null
      rm -f "$work/xvfb.display"
      Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/xvfb.display" 2>/dev/null &
      xvfb_pid=$!
      for _ in $(seq 1 50); do [ -s "$work/xvfb.display" ] && break; sleep 0.1; done
      export DISPLAY=:$(cat "$work/xvfb.display")
      # The Windows engine (diagnostic tone) on a pipe of its own, for the plugin's Generate.
      rm -rf "$plugin/takes"
      "$wine" "$app/acestep.exe" serve --diagnostic-tone 5 --http-url http://127.0.0.1:0 --pipe "$pipe-plugin" \
        >"$work/plugin-engine.log" 2>&1 &
      engine_pid=$!
      for _ in $(seq 1 120); do
        grep -q "ready: http" "$work/plugin-engine.log" 2>/dev/null && break
        kill -0 "$engine_pid" 2>/dev/null || break
        sleep 1
      done
      ACESTEP_EDITOR_WIN32=1 timeout 240 "$wine" "$plugin/host/AceStep.Wine.PluginHost.exe" "$(winpath "$plugin/AceStep.vst3")" \
        --editor "$(winpath "$work/editor-wine.png")" "$pipe-plugin" "$(winpath "$plugin/takes")" >"$work/plugin-host.log" 2>&1
      rc=$?
      kill "$engine_pid" 2>/dev/null; wait "$engine_pid" 2>/dev/null; engine_pid=
      unset DISPLAY
      "$wineserver" -k 2>/dev/null
      kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; xvfb_pid=
      lines=$(tr -d '\r' <"$work/plugin-host.log" | grep -a -E '^(PASS|FAIL) ')
      while IFS= read -r line; do
        case "$line" in
          PASS\ *) pass "plugin under Wine: ${line#PASS }" ;;
          FAIL\ *) fail "plugin under Wine: ${line#FAIL }" ;;
        esac
      done <<<"$lines"
      if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' <<<"$lines"; then
        fail "the Windows VST3 host exited $rc ($(( $(date +%s) - t0 )) s)"; tail -20 "$work/plugin-host.log"
      fi
    else
      fail "publishing the Windows VST3 host (see $work/plugin-host-publish.log)"; tail -20 "$work/plugin-host-publish.log"
    fi
  else
    fail "check-only cross build of the plugin (see $work/plugin-publish.log)"; grep -E 'error|lld-link' "$work/plugin-publish.log" | tail -20
  fi
else
  fail "lld-link is needed for the plugin's check build (scripts/setup.sh --tests installs Debian's lld)"
fi
rm -rf "$plugin/publish" "$plugin/takes"

# 7. The PowerShell twins of the README's commands (PowerShell 7 from NuGet, on Linux): all three parse, and
#    setup.ps1 asks winget for FFmpeg and the VC++ runtime when they are missing (a fake winget on PATH records the
#    calls), and is content when they are there.
pwsh=$PWD/artifacts/tools/pwsh
if [ -x "$pwsh" ]; then
  parse=$("$pwsh" -NoProfile -Command 'foreach ($f in "scripts/setup.ps1","scripts/engine.ps1","scripts/test.ps1") {
      $e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path $f), [ref]$null, [ref]$e)
      foreach ($x in $e) { "${f}: $x" } }' 2>&1)
  if [ -z "$parse" ]; then pass "setup.ps1, engine.ps1 and test.ps1 parse"; else fail "PowerShell parse errors: $parse"; fi
  fake=$work/fake-winget
  mkdir -p "$fake" && ln -sf "$(command -v dotnet)" "$fake/dotnet"
  printf '#!/bin/sh
echo "$*" >> "%s/calls"
' "$fake" >"$fake/winget" && chmod +x "$fake/winget"
  rm -f "$fake/calls"
  PATH=$fake SystemRoot=$work/no-system32 "$pwsh" -NoProfile -File scripts/setup.ps1 >"$work/setup-ps1.log" 2>&1
  rc=$?
  if [ "$rc" -eq 1 ] && grep -q -- '--id Gyan.FFmpeg --exact' "$fake/calls" && grep -q -- '--id Microsoft.VCRedist.2015+.x64 --exact' "$fake/calls" &&
     grep -q 'missing FFmpeg' "$work/setup-ps1.log" && grep -q 'missing the Visual C++ x64 runtime' "$work/setup-ps1.log" &&
     env -u SystemRoot "$pwsh" -NoProfile -File scripts/setup.ps1 >>"$work/setup-ps1.log" 2>&1; then
    pass "setup.ps1 installs FFmpeg and the VC++ runtime with winget when missing, and passes when present"
  else
    fail "setup.ps1 (exit $rc)"; cat "$work/setup-ps1.log" "$fake/calls" 2>/dev/null
  fi
else
  fail "PowerShell is missing (scripts/setup.sh --tests installs it into artifacts/tools)"
fi

summary
[ "$failed" -eq 0 ]
