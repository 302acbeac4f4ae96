#!/usr/bin/env python3
"""Writes the PNG fixtures for ImagingTests with a tiny PNG writer (zlib + struct only; no image library).

Every fixture is 13×11 and its pixels follow the formulas in Tests/ImagingTests/FixtureFormulas.swift:
    rgb(x, y)   = ((x*17 + y*3) % 256, (y*23 + x*5) % 256, (x*y*7 + 11) % 256)
    gray(x, y)  = (x*19 + y*11) % 256
    alpha(x, y) = 0 at (0, 0), 255 at (1, 0), else (x*37 + y*53) % 256
    palette index(x, y) = (x + 2*y) % 16, palette[i] = (i*16, 255 - i*16, i*37 % 256), tRNS: 0 -> 0, 1 -> 128
Run from this folder: python3 make_fixtures.py   (the committed .png files are its output).
"""
import struct
import zlib

W, H = 13, 11


def rgb(x, y):
    return ((x * 17 + y * 3) % 256, (y * 23 + x * 5) % 256, (x * y * 7 + 11) % 256)


def gray(x, y):
    return (x * 19 + y * 11) % 256


def alpha(x, y):
    if (x, y) == (0, 0):
        return 0
    if (x, y) == (1, 0):
        return 255
    return (x * 37 + y * 53) % 256


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(rows, bit_depth, color_type, extra=b"", interlace=False):
    """rows[y] is a list of per-pixel byte strings (already big-endian for 16-bit)."""
    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            for y in range(y0, H, dy):
                line = b"".join(rows[y][x] for x in range(x0, W, dx))
                if line:
                    raw += b"\x00" + line
    else:
        raw = b"".join(b"\x00" + b"".join(row) for row in rows)
    ihdr = struct.pack(">IIBBBBB", W, H, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def grid(pixel):
    return [[pixel(x, y) for x in range(W)] for y in range(H)]


palette = [(i * 16, 255 - i * 16, i * 37 % 256) for i in range(16)]
fixtures = {
    "gray.png": png(grid(lambda x, y: bytes([gray(x, y)])), 8, 0),
    "gray_alpha.png": png(grid(lambda x, y: bytes([gray(x, y), alpha(x, y)])), 8, 4),
    "rgb.png": png(grid(lambda x, y: bytes(rgb(x, y))), 8, 2),
    "rgba.png": png(grid(lambda x, y: bytes(rgb(x, y) + (alpha(x, y),))), 8, 6),
    "palette.png": png(grid(lambda x, y: bytes([(x + 2 * y) % 16])), 8, 3,
                       chunk(b"PLTE", b"".join(bytes(c) for c in palette)) + chunk(b"tRNS", bytes([0, 128]))),
    "rgb16.png": png(grid(lambda x, y: b"".join(struct.pack(">H", c * 257) for c in rgb(x, y))), 16, 2),
    "interlaced.png": png(grid(lambda x, y: bytes(rgb(x, y))), 8, 2, interlace=True),
}
for name, data in fixtures.items():
    with open(name, "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")
