#!/usr/bin/env python3
"""Writes nfc-data.txt, the Unicode tables NfcNormalizer needs, from Python's unicodedata.

Run with any Python 3 and commit the output; the Unicode version is recorded on the first line.
Lines:  V <unicode version>
        C <first> <last> <ccc>          canonical combining class of a code point range (non-zero only)
        D <cp> <cp> [<cp>...]           a code point, then its full canonical decomposition (Hangul syllables excluded: algorithmic)
        P <first> <second> <composite>  primary composite: the pair that NFC composes into one code point
All numbers are hexadecimal.
"""
import sys
import unicodedata as ud

def is_hangul_syllable(cp):
    return 0xAC00 <= cp <= 0xD7A3

lines = [f"V {ud.unidata_version}"]

run = None
for cp in range(0x110000 + 1):
    ccc = ud.combining(chr(cp)) if cp < 0x110000 else 0
    if run and (ccc != run[2] or cp != run[1] + 1):
        lines.append(f"C {run[0]:X} {run[1]:X} {run[2]}")
        run = None
    if ccc and not run:
        run = [cp, cp, ccc]
    elif ccc:
        run[1] = cp

for cp in range(0x110000):
    if is_hangul_syllable(cp) or 0xD800 <= cp <= 0xDFFF:
        continue
    c = chr(cp)
    nfd = ud.normalize("NFD", c)
    if nfd != c:
        lines.append("D " + " ".join(f"{ord(x):X}" for x in [c] + list(nfd)))

for cp in range(0x110000):
    if is_hangul_syllable(cp) or 0xD800 <= cp <= 0xDFFF:
        continue
    d = ud.decomposition(chr(cp))
    if not d or d.startswith("<"):
        continue
    parts = [int(x, 16) for x in d.split()]
    if len(parts) != 2:
        continue
    if ud.normalize("NFC", chr(parts[0]) + chr(parts[1])) == chr(cp):
        lines.append(f"P {parts[0]:X} {parts[1]:X} {cp:X}")

with open(sys.argv[1] if len(sys.argv) > 1 else "nfc-data.txt", "w", encoding="ascii", newline="\n") as f:
    f.write("\n".join(lines) + "\n")
