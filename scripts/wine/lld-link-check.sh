#!/usr/bin/env bash
# CHECK-ONLY linker for the plugin's Windows DLL, built on Linux. NEVER SHIP ITS OUTPUT.
#
# NativeAOT's targets call this in place of MSVC's link.exe when the plugin is published for win-x64 on Linux by
# scripts/wine-check.sh (`-p:CppLinker=<this file>`, with DisableUnsupportedError and IlcUseEnvironmentalTools). It
# gets the targets' response file (@link.rsp: ILC's Windows object, NativeAOT's runtime libraries, the Windows SDK
# import libraries, MSVC options) and links it with LLVM's lld-link against mingw-w64's import libraries plus
# msvc-crt-stand-in.c, which replaces the MSVC C runtime *without* the stack cookie and control-flow guard. The DLL
# is good for loading under Wine to check our Windows code paths, and for nothing else: the product is built with
# MSVC on Windows (docs/windows.md).
#
# Needs lld-link (Debian `lld`) and x86_64-w64-mingw32-gcc (gcc-mingw-w64-x86-64-win32); scripts/setup.sh --tests
# installs both.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mingw_lib=${ACESTEP_MINGW_LIB:-/usr/x86_64-w64-mingw32/lib}

rsp=
args=()
for a in "$@"; do
  case "$a" in
    @*) rsp=${a#@} ;;
    *) args+=("$a") ;;
  esac
done
[ -n "$rsp" ] || { echo "lld-link-check: expected the NativeAOT targets' @link.rsp" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# MSVC names the import libraries kernel32.lib; mingw-w64 names them libkernel32.a.
mkdir "$tmp/lib"
for lib in "$mingw_lib"/lib*.a; do
  name=$(basename "$lib" .a)
  ln -s "$lib" "$tmp/lib/${name#lib}.lib"
done

x86_64-w64-mingw32-gcc -c -O2 -fno-builtin -Wall -o "$tmp/msvc-crt-stand-in.o" "$here/msvc-crt-stand-in.c"

# The response file is UTF-8 with a byte-order mark; /NATVIS and /IGNORE are MSVC-only niceties lld-link rejects or
# ignores.
sed '1s/^\xEF\xBB\xBF//' "$rsp" | grep -v -E '^/(NATVIS|IGNORE):' >"$tmp/link.rsp"

# The runtime's objects ask for MSVC's static C/C++ runtime by name; the stand-in and ucrtbase.dll replace them.
lld-link @"$tmp/link.rsp" "${args[@]}" /libpath:"$tmp/lib" ucrtbase.lib "$tmp/msvc-crt-stand-in.o" \
  /NODEFAULTLIB:LIBCMT.lib /NODEFAULTLIB:OLDNAMES.lib /NODEFAULTLIB:libcpmt.lib /NODEFAULTLIB:libvcruntime.lib \
  /IGNORE:4217
