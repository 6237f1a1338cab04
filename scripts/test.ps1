<#
.SYNOPSIS
  Runs every test of the repository on Windows (the PowerShell twin of test.sh).
.DESCRIPTION
  Prepares the machine (setup.ps1 -Tests), runs all test projects of the solution and ends with one
  "N passed, N failed, N skipped" line. Any arguments go to 'dotnet test' (e.g. --filter ...).
#>
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
& (Join-Path $PSScriptRoot 'setup.ps1') -Tests
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

$passed = 0; $failed = 0; $skipped = 0
# dotnet test prints one summary per test assembly ("Passed!  - Failed: 0, Passed: 18, Skipped: 0, ...") on stdout;
# stderr is left alone (Windows PowerShell 5.1 turns redirected stderr lines into errors).
& dotnet test AceStep.Vst.sln --nologo @args | ForEach-Object {
  $line = "$_"
  Write-Host $line
  if ($line -match '(Passed|Failed)! +- +Failed: +(\d+), +Passed: +(\d+), +Skipped: +(\d+)') {
    $failed += [int]$Matches[2]; $passed += [int]$Matches[3]; $skipped += [int]$Matches[4]
  }
}
$status = $LASTEXITCODE
Write-Host ''
Write-Host "$passed passed, $failed failed, $skipped skipped"
if ($status -ne 0) { exit $status }
if ($passed -eq 0) { [Console]::Error.WriteLine('test.ps1: no test ran'); exit 1 }
exit 0
