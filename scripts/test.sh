#!/usr/bin/env bash
# Runs every test of the repository: prepares the machine, builds the solution (the VST3 bundle is published by
# the plugin tests' build), runs all test projects and the Windows check under Wine (scripts/wine-check.sh), and
# ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --tests || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test AceStep.Vst.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The Windows check (the win-x64 CLI and engine under Wine) prints its own summary in the same format, counted below.
scripts/wine-check.sh 2>&1 | tee -a "$log"
wine_status=${PIPESTATUS[0]}
[ "$status" -ne 0 ] || status=$wine_status

# dotnet test prints one summary per test assembly ("Passed!  - Failed: 0, Passed: 18, Skipped: 0, ...").
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
  }
  END { print p + 0, f + 0, s + 0 }' "$log")

echo
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if [ "$passed" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
