#!/usr/bin/env python3
"""Checks every dataset under samples/ against CONTRACT.md; exits 1 naming each problem.

- schema.json: known keys only, unique field names (letter first), kinds known, source set
  (except pairwise/ranking), labels/options with unique values and unique single-key hotkeys
  that are not reserved (s, ?, space, ...), colours #rgb/#rrggbb, rating has max 2..100,
  pairwise exactly two responses, ranking two or more;
- project.json: name, overlap >= 1, guidelines (Markdown string), queueOrder known;
- data: CSV parses with an `id` column and unique ids; every JSONL line parses, ids unique,
  `data` holds every key the schema's fields read; media files exist (PNG size read from the
  header, WAV 16 kHz mono 16-bit); predictions name a model, a score in [0, 1] and a result
  valid for the schema: spans within the text (code points, NFC text), boxes within the image,
  segments within the clip.

Run: python3 samples/tools/validate.py [--show-spans]
"""
import csv
import json
import pathlib
import struct
import sys
import unicodedata
import wave

ROOT = pathlib.Path(__file__).resolve().parent.parent
KINDS = {"choices", "rating", "text", "spans", "boxes", "polygons", "keypoints", "segments", "pairwise", "ranking"}
LABEL_KINDS = {"spans", "boxes", "polygons", "keypoints", "segments"}
FIELD_KEYS = {"name", "kind", "source", "required", "description", "options", "labels", "multiple", "max", "responses"}
RESERVED = {"enter", "escape", "esc", "tab", "?", "s", " ", "space", "arrowleft", "arrowright", "arrowup", "arrowdown"}
QUEUE_ORDERS = {"sequential", "random", "uncertainty"}
problems = []


def bad(where, msg):
    problems.append(f"{where}: {msg}")


def is_colour(c):
    return isinstance(c, str) and c.startswith("#") and len(c) in (4, 7) and all(ch in "0123456789abcdefABCDEF" for ch in c[1:])


def check_schema(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    names = set()
    for i, f in enumerate(schema.get("fields", [])):
        w = f"{path.relative_to(ROOT)} fields[{i}]"
        for k in f:
            if k not in FIELD_KEYS:
                bad(w, f"unknown key {k!r}")
        name, kind = f.get("name"), f.get("kind")
        if not (isinstance(name, str) and name[:1].isalpha()) or name in names:
            bad(w, f"name {name!r} missing, not starting with a letter, or a duplicate")
        names.add(name)
        if kind not in KINDS:
            bad(w, f"unknown kind {kind!r}")
        if kind not in ("pairwise", "ranking") and not f.get("source"):
            bad(w, "needs a source")
        key = "labels" if kind in LABEL_KINDS else "options" if kind == "choices" else None
        opts = f.get(key, []) if key else []
        if key and not opts:
            bad(w, f"needs {key}")
        if not key and (f.get("labels") or f.get("options")):
            bad(w, "takes no labels/options")
        values, hotkeys = set(), set()
        for o in opts:
            v, h, c = o.get("value"), o.get("hotkey"), o.get("color")
            if not v or v in values:
                bad(w, f"empty or duplicate value {v!r}")
            values.add(v)
            if h is not None:
                if len(h) != 1 or h.lower() in RESERVED or h.lower() in hotkeys:
                    bad(w, f"hotkey {h!r} not a single key, reserved or a duplicate")
                hotkeys.add(h.lower())
            if c is not None and not is_colour(c):
                bad(w, f"colour {c!r}")
        if kind == "rating" and not (isinstance(f.get("max"), int) and 2 <= f["max"] <= 100):
            bad(w, "rating needs max 2..100")
        if kind == "pairwise" and len(f.get("responses", [])) != 2:
            bad(w, "pairwise needs exactly two responses")
        if kind == "ranking" and len(f.get("responses", [])) < 2:
            bad(w, "ranking needs two or more responses")
        if kind not in ("pairwise", "ranking") and "responses" in f:
            bad(w, "only pairwise/ranking take responses")
    return schema["fields"]


def check_project(path):
    p = json.loads(path.read_text(encoding="utf-8"))
    w = str(path.relative_to(ROOT))
    if set(p) != {"name", "overlap", "guidelines", "queueOrder"}:
        bad(w, f"keys {sorted(p)}")
    if not isinstance(p.get("name"), str) or not p["name"]:
        bad(w, "name")
    if not isinstance(p.get("overlap"), int) or p["overlap"] < 1:
        bad(w, "overlap")
    if not isinstance(p.get("guidelines"), str) or not p["guidelines"].startswith("# "):
        bad(w, "guidelines must be Markdown starting with a heading")
    if p.get("queueOrder") not in QUEUE_ORDERS:
        bad(w, "queueOrder")


def png_size(path):
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", head[16:24])


def wav_seconds(path, w):
    with wave.open(str(path)) as f:
        if (f.getframerate(), f.getnchannels(), f.getsampwidth()) != (16000, 1, 2):
            bad(w, f"{path.name} is not 16 kHz mono 16-bit")
        secs = f.getnframes() / f.getframerate()
    if not 3 <= secs <= 8:
        bad(w, f"{path.name} lasts {secs:.2f} s, not 3-8 s")
    return secs


def check_result(w, fields, data, result, folder, show):
    by_name = {f["name"]: f for f in fields}
    for name, value in result.items():
        f = by_name.get(name)
        if f is None:
            bad(w, f"result names unknown field {name!r}")
            continue
        labels = {o["value"] for o in f.get("labels", f.get("options", []))}
        kind = f["kind"]
        if kind == "spans":
            text = data[f["source"]]
            for s in value:
                if not (isinstance(s["start"], int) and isinstance(s["end"], int) and 0 <= s["start"] < s["end"] <= len(text)):
                    bad(w, f"span {s} outside the text ({len(text)} code points)")
                elif text[s["start"]:s["end"]] != text[s["start"]:s["end"]].strip():
                    bad(w, f"span {s} has leading/trailing space")
                if s["label"] not in labels:
                    bad(w, f"span label {s['label']!r}")
                if show:
                    print(f"  {w}: [{s['start']},{s['end']}) {s['label']:4} {text[s['start']:s['end']]!r}")
        elif kind == "boxes":
            iw, ih = png_size(folder / data[f["source"]])
            for b in value:
                if not (b["x"] >= 0 and b["y"] >= 0 and b["width"] > 0 and b["height"] > 0
                        and b["x"] + b["width"] <= iw and b["y"] + b["height"] <= ih):
                    bad(w, f"box {b} outside the {iw}x{ih} image")
                if b["label"] not in labels:
                    bad(w, f"box label {b['label']!r}")
        elif kind == "segments":
            secs = wav_seconds(folder / data[f["source"]], w)
            for s in value:
                if not 0 <= s["start"] < s["end"] <= secs + 1e-6:
                    bad(w, f"segment {s} outside the {secs:.3f} s clip")
                if s["label"] not in labels:
                    bad(w, f"segment label {s['label']!r}")
        elif kind == "text":
            if not isinstance(value, str):
                bad(w, f"{name} must be a string")
        elif kind == "choices":
            if value not in labels:
                bad(w, f"choice {value!r}")


def check_items(folder, fields, show):
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            w = f"{path.relative_to(ROOT)} line {n}"
            try:
                rows.append((w, json.loads(line)))
            except json.JSONDecodeError as e:
                bad(w, f"not JSON: {e}")
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for n, rec in enumerate(csv.DictReader(fh), 2):
                rows.append((f"{path.relative_to(ROOT)} record {n}", {"id": rec["id"], "data": {k: v for k, v in rec.items() if k != "id"}}))
    if not rows:
        bad(str(folder.relative_to(ROOT)), "no items")
    ids = set()
    keys = {f["source"] for f in fields if f.get("source")} | {r for f in fields for r in f.get("responses", [])}
    for w, item in rows:
        if item.get("id") in ids or not item.get("id"):
            bad(w, f"id {item.get('id')!r} missing or duplicate")
        ids.add(item.get("id"))
        data = item.get("data", {})
        for k in keys:
            if not isinstance(data.get(k), str) or not data[k]:
                bad(w, f"data lacks {k!r}")
            elif k in ("image", "audio"):
                p = folder / data[k]
                if not p.is_file() or ".." in pathlib.PurePosixPath(data[k]).parts:
                    bad(w, f"{data[k]} missing")
                elif k == "audio":
                    wav_seconds(p, w)
                else:
                    png_size(p)
            elif unicodedata.normalize("NFC", data[k]) != data[k]:
                bad(w, f"{k} is not NFC")
        for p in item.get("predictions", []):
            if not p.get("model") or not (0 <= p.get("score", 0) <= 1) or not isinstance(p.get("result"), dict):
                bad(w, f"prediction needs model, result and a score in [0,1]: {p}")
            else:
                check_result(w, fields, data, p["result"], folder, show)
    return len(rows), sum(1 for _, i in rows if i.get("predictions"))


def main():
    show = "--show-spans" in sys.argv
    total = 0
    for folder in sorted(p for p in ROOT.iterdir() if (p / "schema.json").is_file()):
        fields = check_schema(folder / "schema.json")
        check_project(folder / "project.json")
        n, npred = check_items(folder, fields, show)
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        total += size
        print(f"{folder.name}: {len(fields)} field(s), {n} items, {npred} with predictions, {size / 1024:.0f} KiB")
    print(f"total {total / 1024:.0f} KiB")
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
