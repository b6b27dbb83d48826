#!/usr/bin/env python3
"""Draws the synthetic scenes of samples/image-boxes/ and writes its manifest.jsonl.

Standard library only (a tiny PNG writer on zlib + struct), deterministic (fixed seeds), so
re-running it gives byte-identical files. Each scene has a sky, a sun, clouds and grass, and
non-overlapping cars (body, cabin, wheels), people (stick figures) and trees (trunk and crown).
The box of an object is the exact extent of the pixels drawn for it, in original-image pixels
(x, y = top-left, width/height inclusive of both edges), so predictions line up with the drawing.

Run: python3 samples/tools/make_images.py
"""
import json
import math
import pathlib
import random
import struct
import zlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "image-boxes"
MODEL = "demo-detector-0.1"

# (file stem, width, height, seed, object kinds left to right, has predictions)
SCENES = [
    ("street-01", 640, 480, 11, ["tree", "car", "person", "car"], True),
    ("street-02", 640, 480, 12, ["person", "person", "car", "tree"], True),
    ("park-01", 480, 360, 13, ["tree", "person", "tree", "tree"], True),
    ("park-02", 480, 360, 14, ["tree", "person", "person"], False),
    ("road-01", 640, 360, 15, ["car", "car", "tree"], True),
    ("road-02", 400, 300, 16, ["car", "person"], False),
    ("garden-01", 320, 240, 17, ["tree", "person"], True),
    ("garden-02", 320, 240, 18, ["tree"], False),
    ("plaza-01", 640, 480, 19, ["person", "person", "person", "tree", "car"], True),
    ("plaza-02", 480, 360, 20, ["car", "person", "tree"], False),
    ("edge-01", 400, 300, 21, ["car!", "tree", "person"], True),  # "!" = cut by the left edge
    ("empty-01", 320, 240, 22, [], False),
]

PALETTE_CARS = [(200, 40, 40), (40, 80, 200), (230, 180, 30), (90, 90, 100), (30, 150, 140)]
PALETTE_SHIRTS = [(40, 40, 40), (120, 30, 120), (20, 60, 140), (150, 60, 20)]


class Canvas:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.px = [bytearray(w * 3) for _ in range(h)]
        self.extent = {}  # object id -> [minx, miny, maxx, maxy]

    def put(self, x, y, rgb, obj):
        if 0 <= x < self.w and 0 <= y < self.h:
            row = self.px[y]
            row[3 * x:3 * x + 3] = bytes(rgb)
            if obj is not None:
                e = self.extent.setdefault(obj, [x, y, x, y])
                e[0], e[1], e[2], e[3] = min(e[0], x), min(e[1], y), max(e[2], x), max(e[3], y)

    def rect(self, x0, y0, x1, y1, rgb, obj=None):
        """Fills the pixels x0 <= x < x1, y0 <= y < y1."""
        for y in range(max(0, y0), min(self.h, y1)):
            for x in range(max(0, x0), min(self.w, x1)):
                self.put(x, y, rgb, obj)

    def disc(self, cx, cy, r, rgb, obj=None):
        for y in range(math.floor(cy - r), math.ceil(cy + r) + 1):
            for x in range(math.floor(cx - r), math.ceil(cx + r) + 1):
                if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r:
                    self.put(x, y, rgb, obj)

    def ellipse(self, cx, cy, rx, ry, rgb, obj=None):
        for y in range(math.floor(cy - ry), math.ceil(cy + ry) + 1):
            for x in range(math.floor(cx - rx), math.ceil(cx + rx) + 1):
                if ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1:
                    self.put(x, y, rgb, obj)

    def line(self, x0, y0, x1, y1, thick, rgb, obj=None):
        r = thick / 2
        dx, dy = x1 - x0, y1 - y0
        ll = dx * dx + dy * dy or 1
        for y in range(math.floor(min(y0, y1) - r), math.ceil(max(y0, y1) + r) + 1):
            for x in range(math.floor(min(x0, x1) - r), math.ceil(max(x0, x1) + r) + 1):
                px, py = x + 0.5, y + 0.5
                t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / ll))
                if (px - x0 - t * dx) ** 2 + (py - y0 - t * dy) ** 2 <= r * r:
                    self.put(x, y, rgb, obj)

    def png(self):
        raw = b"".join(b"\x00" + bytes(row) for row in self.px)
        def chunk(tag, data):
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        return (b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9))
                + chunk(b"IEND", b""))


def car_width(h, rnd):
    return int(h * rnd.uniform(0.30, 0.42))


def draw_car(c, obj, x, base, w, rnd):
    colour = rnd.choice(PALETTE_CARS)
    body_h = int(w * 0.28)
    r = w * 0.11
    wheel_y = base - r
    body_bottom = int(wheel_y + r * 0.2)
    body_top = body_bottom - body_h
    cabin_top = body_top - int(w * 0.2)
    c.rect(x + int(w * 0.22), cabin_top, x + int(w * 0.72), body_top + 1, colour, obj)
    c.rect(x + int(w * 0.28), cabin_top + 4, x + int(w * 0.46), body_top - 2, (190, 225, 245), obj)
    c.rect(x + int(w * 0.50), cabin_top + 4, x + int(w * 0.66), body_top - 2, (190, 225, 245), obj)
    c.rect(x, body_top, x + w, body_bottom, colour, obj)
    c.rect(x + w - 6, body_top + 4, x + w, body_top + 10, (255, 240, 150), obj)
    for wx in (x + w * 0.22, x + w * 0.78):
        c.disc(wx, wheel_y, r, (25, 25, 25), obj)
        c.disc(wx, wheel_y, r * 0.45, (170, 170, 170), obj)


def draw_person(c, obj, cx, base, hgt, rnd):
    colour = rnd.choice(PALETTE_SHIRTS)
    t = max(2, hgt / 28)
    head_r = hgt * 0.09
    top = base - hgt
    head_cy = top + head_r
    neck = head_cy + head_r
    hip = top + hgt * 0.58
    shoulder = neck + hgt * 0.06
    c.line(cx, neck, cx, hip, t, colour, obj)
    arm = hgt * 0.22
    lift = rnd.uniform(-0.3, 0.5)
    c.line(cx, shoulder, cx - arm, shoulder + arm * (0.8 - lift), t, colour, obj)
    c.line(cx, shoulder, cx + arm, shoulder + arm * (0.8 + lift * 0.5), t, colour, obj)
    leg = hgt * 0.2
    c.line(cx, hip, cx - leg, base - t / 2, t, (30, 30, 60), obj)
    c.line(cx, hip, cx + leg, base - t / 2, t, (30, 30, 60), obj)
    c.disc(cx, head_cy, head_r, (235, 190, 150), obj)


def draw_tree(c, obj, cx, base, hgt, rnd):
    crown_r = hgt * rnd.uniform(0.26, 0.32)
    trunk_w = max(4, int(crown_r * 0.3))
    trunk_top = int(base - hgt + crown_r * 1.6)
    c.rect(int(cx - trunk_w / 2), trunk_top, int(cx + trunk_w / 2), int(base), (110, 70, 35), obj)
    green = (30 + rnd.randint(0, 30), 120 + rnd.randint(0, 40), 40 + rnd.randint(0, 20))
    c.disc(cx, base - hgt + crown_r, crown_r, green, obj)
    c.disc(cx - crown_r * 0.35, base - hgt + crown_r * 0.9, crown_r * 0.35, tuple(min(255, v + 25) for v in green), obj)


def make_scene(stem, w, h, seed, kinds):
    rnd = random.Random(seed)
    c = Canvas(w, h)
    horizon = int(h * rnd.uniform(0.45, 0.55))
    for y in range(horizon):  # sky gradient
        k = y / horizon
        c.rect(0, y, w, y + 1, (int(110 + 80 * k), int(170 + 50 * k), 240))
    for y in range(horizon, h):
        k = (y - horizon) / (h - horizon)
        c.rect(0, y, w, y + 1, (int(90 - 30 * k), int(170 - 40 * k), int(70 - 20 * k)))
    c.disc(w * rnd.uniform(0.7, 0.9), h * 0.12, h * 0.06, (255, 220, 90))
    for _ in range(rnd.randint(1, 3)):
        cx, cy = w * rnd.uniform(0.05, 0.65), h * rnd.uniform(0.08, 0.3)
        for dx in (-1, 0, 1):
            c.ellipse(cx + dx * h * 0.06, cy + (0 if dx else -h * 0.02), h * 0.07, h * 0.04, (250, 250, 252))

    # Sizes first, then spread the objects over the width in order without overlaps.
    specs = []
    for kind in kinds:
        cut = kind.endswith("!")
        kind = kind.rstrip("!")
        base = int(rnd.uniform(horizon + 0.25 * (h - horizon), h - 0.08 * (h - horizon)))
        scale = 0.7 + 0.3 * (base - horizon) / (h - horizon)  # nearer is bigger
        if kind == "car":
            width = int(car_width(h, rnd) * scale)
        elif kind == "person":
            hgt = int(h * rnd.uniform(0.28, 0.36) * scale)
            width = int(hgt * 0.44 + hgt / 28 + 2)
        else:
            hgt = int(h * rnd.uniform(0.45, 0.6) * scale)
            width = int(hgt * 0.64 + 2)
        specs.append((kind, cut, base, width, hgt if kind != "car" else None))
    free = w - sum(s[3] for s in specs)
    gaps = [rnd.random() + 0.3 for _ in range(len(specs) + 1)]
    unit = max(0, free) / sum(gaps) if specs else 0
    x = gaps[0] * unit
    objects = []
    # draw far objects first so that nothing near is painted over (they do not overlap anyway)
    placed = []
    for i, (kind, cut, base, width, hgt) in enumerate(specs):
        left = -int(width * 0.35) if cut else int(x)
        placed.append((kind, left, base, width, hgt))
        x += width + gaps[i + 1] * unit
    for i, (kind, left, base, width, hgt) in sorted(enumerate(placed), key=lambda p: p[1][2]):
        obj = i
        if kind == "car":
            draw_car(c, obj, left, base, width, rnd)
        elif kind == "person":
            draw_person(c, obj, left + width / 2, base, hgt, rnd)
        else:
            draw_tree(c, obj, left + width / 2, base, hgt, rnd)
    for i, (kind, *_rest) in enumerate(placed):
        x0, y0, x1, y1 = c.extent[i]
        objects.append({"x": x0, "y": y0, "width": x1 - x0 + 1, "height": y1 - y0 + 1, "label": kind})
    return c, objects


def boxes_overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def main():
    (ROOT / "images").mkdir(parents=True, exist_ok=True)
    lines = []
    for n, (stem, w, h, seed, kinds, predicted) in enumerate(SCENES, 1):
        canvas, objects = make_scene(stem, w, h, seed, kinds)
        for i, a in enumerate(objects):
            for b in objects[i + 1:]:
                if boxes_overlap(a, b):
                    raise SystemExit(f"{stem}: objects overlap: {a} {b}")
        path = f"images/{stem}.png"
        (ROOT / path).write_bytes(canvas.png())
        item = {"id": f"img-{n:03d}", "data": {"image": path}}
        if predicted and objects:
            score = round(random.Random(seed * 7).uniform(0.55, 0.97), 2)
            item["predictions"] = [{"model": MODEL, "result": {"objects": objects}, "score": score}]
        lines.append(json.dumps(item))
        print(f"{path} {w}x{h}: " + ", ".join(f"{o['label']}@{o['x']},{o['y']},{o['width']}x{o['height']}" for o in objects))
    (ROOT / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
