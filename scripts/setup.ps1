<#
.SYNOPSIS
  Prepares a Windows machine for building, testing and running AceStep.Vst (the PowerShell twin of setup.sh).
.DESCRIPTION
  Idempotent: checks each requirement and installs only what is missing, with winget (else Chocolatey):
    - the .NET 10 SDK            (checked only: install it from Microsoft, or 'winget install Microsoft.DotNet.SDK.10')
    - FFmpeg (ffmpeg.exe, ffprobe.exe) on PATH or in $env:ACESTEP_FFMPEG_DIR: the engine's MP3/OGG/FLAC encoding,
      any-format decoding and resampling
    - the Visual C++ 2015-2022 x64 runtime (MSVCP140.dll, VCRUNTIME140.dll, VCRUNTIME140_1.dll): libtorch needs it
  -Tests adds nothing on Windows: the tests that drive Ardour, Chromium and Lua are Linux-only and skip themselves.
  Exit code 0 when everything is there (or was installed), 1 with the command to run when something is missing.
#>
[CmdletBinding()]
param([switch]$Tests)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Say([string]$Message) { [Console]::Error.WriteLine("setup: $Message") }

# The .NET 10 SDK is the one thing this script does not install (it is what runs everything else).
$sdks = if (Get-Command dotnet -ErrorAction SilentlyContinue) { & dotnet --list-sdks 2>$null } else { @() }
if (-not ($sdks | Where-Object { $_ -match '^10\.' })) {
  Say "the .NET 10 SDK is required: 'winget install Microsoft.DotNet.SDK.10' (or https://dot.net), then run this again."
  exit 1
}

# Installs a winget package, else a Chocolatey one; returns $false when neither tool exists.
function Install-Package([string]$WingetId, [string]$ChocoId) {
  if (Get-Command winget -ErrorAction SilentlyContinue) {
    Say "installing $WingetId (winget)"
    & winget install --id $WingetId --exact --silent --accept-source-agreements --accept-package-agreements | Out-Host
    # winget exits non-zero when the package is already installed but not on this shell's PATH yet: not an error.
    return $true
  }
  if (Get-Command choco -ErrorAction SilentlyContinue) {
    Say "installing $ChocoId (choco)"
    & choco install $ChocoId -y --no-progress | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "choco install $ChocoId failed with exit code $LASTEXITCODE" }
    return $true
  }
  return $false
}

# Reloads PATH from the registry so programs installed a moment ago are found without a new terminal.
function Update-SessionPath {
  if ([Environment]::OSVersion.Platform -eq 'Win32NT') {
    $env:PATH = [Environment]::GetEnvironmentVariable('PATH', 'Machine') + ';' + [Environment]::GetEnvironmentVariable('PATH', 'User')
  }
}

function Test-Ffmpeg {
  if ($env:ACESTEP_FFMPEG_DIR) {
    return (Test-Path (Join-Path $env:ACESTEP_FFMPEG_DIR 'ffmpeg.exe')) -and (Test-Path (Join-Path $env:ACESTEP_FFMPEG_DIR 'ffprobe.exe'))
  }
  return [bool](Get-Command ffmpeg -ErrorAction SilentlyContinue) -and [bool](Get-Command ffprobe -ErrorAction SilentlyContinue)
}

function Test-VcRuntime {
  if (-not $env:SystemRoot) { return $true }   # not Windows: nothing to check
  $system = Join-Path $env:SystemRoot 'System32'
  foreach ($dll in 'msvcp140.dll', 'vcruntime140.dll', 'vcruntime140_1.dll') {
    if (-not (Test-Path (Join-Path $system $dll))) { return $false }
  }
  return $true
}

$missing = @()
if (-not (Test-Ffmpeg)) {
  if (Install-Package 'Gyan.FFmpeg' 'ffmpeg') { Update-SessionPath }
  if (-not (Test-Ffmpeg)) { $missing += "FFmpeg: 'winget install Gyan.FFmpeg' or 'choco install ffmpeg' (then open a new terminal), or set ACESTEP_FFMPEG_DIR to a folder with ffmpeg.exe and ffprobe.exe" }
}
if (-not (Test-VcRuntime)) {
  [void](Install-Package 'Microsoft.VCRedist.2015+.x64' 'vcredist140')
  if (-not (Test-VcRuntime)) { $missing += "the Visual C++ x64 runtime: 'winget install Microsoft.VCRedist.2015+.x64' or 'choco install vcredist140'" }
}
if ($missing.Count -gt 0) {
  foreach ($item in $missing) { Say "missing $item" }
  exit 1
}
exit 0
