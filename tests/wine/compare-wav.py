"""Compares two PCM WAV files of the same format sample by sample (the Wine check's model job).

Usage: compare-wav.py A.wav B.wav TOLERANCE. Prints the largest difference as a fraction of full scale and exits 0
when it is at most TOLERANCE and both files hold the same number of samples; else exits 1.
"""
import struct
import sys


def samples(path):
    data = open(path, "rb").read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SystemExit(f"{path}: not a WAV file")
    offset, fmt = 12, None
    while offset + 8 <= len(data):
        chunk, size = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        body = data[offset + 8:offset + 8 + size]
        if chunk == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif chunk == b"data":
            tag, channels, rate, _, _, bits = fmt
            if tag == 3 and bits == 32:
                return fmt, list(struct.unpack(f"<{len(body) // 4}f", body))
            width = bits // 8
            scale = float(1 << (bits - 1))
            return fmt, [int.from_bytes(body[i:i + width], "little", signed=True) / scale for i in range(0, len(body), width)]
        offset += 8 + size + (size & 1)
    raise SystemExit(f"{path}: no data chunk")


fmt_a, a = samples(sys.argv[1])
fmt_b, b = samples(sys.argv[2])
tolerance = float(sys.argv[3])
if fmt_a != fmt_b or len(a) != len(b):
    print(f"formats differ: {fmt_a} {len(a)} samples vs {fmt_b} {len(b)} samples")
    sys.exit(1)
worst = max(abs(x - y) for x, y in zip(a, b))
peak = max(abs(x) for x in b)
print(f"{len(a)} samples, largest difference {worst:.2e} of full scale (peak {peak:.2f}, tolerance {tolerance:g})")
sys.exit(0 if worst <= tolerance and peak > 0 else 1)
