<#
.SYNOPSIS
  Starts the AceStep engine in the foreground on Windows (the PowerShell twin of engine.sh).
.DESCRIPTION
  Prepares the machine (setup.ps1), publishes the engine to artifacts\engine and runs it with its embedded defaults:
  data in %LOCALAPPDATA%\AceStep, HTTP on 127.0.0.1:8001, pipe acestep-engine-<user>. Any arguments go to the engine:
  --home DIR, --http-url URL, --pipe NAME, --device cpu|cuda|auto, --diagnostic-tone MS. Stop it with Ctrl+C.
#>
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
& (Join-Path $PSScriptRoot 'setup.ps1')
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
$out = Join-Path 'artifacts' 'engine'
& dotnet publish engine/AceStep.Engine.Host -c Release -o $out --nologo -v quiet -p:UseAppHost=true | Out-Host
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
# [Environment]::OSVersion works in Windows PowerShell 5.1 too ($IsWindows is PowerShell 7 only).
$exe = if ([Environment]::OSVersion.Platform -eq 'Win32NT') { 'acestep-engine.exe' } else { 'acestep-engine' }
& (Join-Path $out $exe) @args
exit $LASTEXITCODE
