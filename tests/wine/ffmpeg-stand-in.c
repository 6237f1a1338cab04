/* A stand-in for ffmpeg.exe and ffprobe.exe in the Wine check (scripts/wine-check.sh): a real Windows program, so
   the engine's FFmpeg detection runs exactly as on Windows (file names with .exe, ACESTEP_FFMPEG_DIR, starting the
   program and reading the version line), without shipping FFmpeg. It answers "-version" only. Check-only. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-version") == 0) {
            puts("ffmpeg version 0.0-acestep-wine-stand-in Copyright (c) nobody");
            puts("built for the AceStep Wine check");
            return 0;
        }
    }
    fputs("ffmpeg stand-in: only -version is supported\n", stderr);
    return 1;
}
