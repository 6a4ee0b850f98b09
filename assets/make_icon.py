#!/usr/bin/env python3
"""Draws assets/icon.png, the window icon: a magnifying lens over lines of text on a
blue tile, 64x64 RGBA, 4x4 supersampled. Standard library only.
Usage: python3 assets/make_icon.py > assets/icon.png"""
import math, struct, sys, zlib

SIZE, SS = 64, 4
BLUE, WHITE, PALE = (0x1f, 0x5f, 0xa8), (0xff, 0xff, 0xff), (0xb8, 0xd3, 0xf0)

def inside_tile(x, y):
    r, lo, hi = 12, 2, SIZE - 2
    cx, cy = min(max(x, lo + r), hi - r), min(max(y, lo + r), hi - r)
    return lo <= x <= hi and lo <= y <= hi and (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def colour(x, y):
    if not inside_tile(x, y):
        return None
    lens_x, lens_y, ring_out, ring_in = 27, 27, 15, 11
    d = math.hypot(x - lens_x, y - lens_y)
    # Handle: a thick segment from the lens towards the lower right.
    t = max(0.0, min(1.0, ((x - 38) * 1 + (y - 38) * 1) / (2 * 16.0)))
    hx, hy = 38 + 16 * t, 38 + 16 * t
    if ring_in <= d <= ring_out or math.hypot(x - hx, y - hy) <= 3.6:
        return WHITE
    # Lines of text, pale inside the lens, white outside it.
    for row in (18, 25, 32):
        if row <= y <= row + 3 and 14 <= x <= 40:
            return WHITE if d < ring_in else PALE
    return BLUE

rows = []
for py in range(SIZE):
    row = bytearray([0])
    for px in range(SIZE):
        acc, n = [0, 0, 0], 0
        for sy in range(SS):
            for sx in range(SS):
                c = colour(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                if c:
                    acc = [a + b for a, b in zip(acc, c)]
                    n += 1
        alpha = round(255 * n / (SS * SS))
        rgb = [round(a / n) if n else 0 for a in acc]
        row += bytes(rgb + [alpha])
    rows.append(bytes(row))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

sys.stdout.buffer.write(
    b"\x89PNG\r\n\x1a\n"
    + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
    + chunk(b"IEND", b"")
)
