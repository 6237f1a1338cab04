#!/usr/bin/env bash
# Starts the AceStep engine in the foreground: prepares the machine, builds the engine, and runs it with its
# embedded defaults (data in ~/.local/share/acestep, HTTP on 127.0.0.1:8001, pipe acestep-engine-$USER).
# Any arguments go to the engine: --home DIR, --http-url URL, --pipe NAME. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
out=artifacts/engine
dotnet publish engine/AceStep.Engine.Host -c Release -o "$out" --nologo -v quiet -p:UseAppHost=true >&2
exec "$out/acestep-engine" "$@"
