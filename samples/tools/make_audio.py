#!/usr/bin/env python3
"""Builds the clips of samples/audio-segments/ and writes its manifest.jsonl.

Needs espeak-ng and sox (Debian: apt-get install -y espeak-ng sox). Each clip is a sequence of
parts: a sentence spoken by espeak-ng (trimmed of its own leading/trailing silence), silence,
a sine tone or quiet pink noise, all at 16 kHz mono 16-bit. Since every part's length is
measured, the regions of each clip are known exactly; some items carry them as a prediction.
sox runs with -R (repeatable), so the noise, and so every file, comes out the same each time.

Run: python3 samples/tools/make_audio.py
"""
import json
import pathlib
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent / "audio-segments"
RATE = 16000
MODEL = "demo-vad-0.1"
FMT = ["-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer"]

# (stem, parts, has prediction). A part is ("speech", text), ("silence", s), ("tone", s, Hz), ("noise", s).
CLIPS = [
    ("welcome", [("silence", 0.4), ("speech", "Welcome to Label Bench. Please mark where the speech starts and ends."), ("silence", 0.5)], True),
    ("beep-then-speech", [("tone", 1.0, 440), ("silence", 0.6), ("speech", "The meeting starts at nine o'clock."), ("silence", 0.4)], True),
    ("speech-tone-speech", [("speech", "First sentence."), ("silence", 0.3), ("tone", 0.8, 880), ("silence", 0.3), ("speech", "Second sentence, after the beep.")], False),
    ("noisy-start", [("noise", 1.2), ("silence", 0.3), ("speech", "Can you hear me over the noise?"), ("silence", 0.5)], True),
    ("long-pause", [("speech", "Hold on a moment."), ("silence", 2.0), ("speech", "Thank you for waiting.")], False),
    ("tone-noise-speech", [("tone", 0.7, 660), ("silence", 0.4), ("noise", 0.8), ("silence", 0.4), ("speech", "Testing, one, two, three."), ("tone", 0.5, 330)], False),
]


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def samples(path):
    out = subprocess.run(["soxi", "-s", str(path)], check=True, capture_output=True, text=True).stdout
    return int(out.strip())


def make_part(part, path):
    kind = part[0]
    if kind == "speech":
        raw = path.with_suffix(".raw.wav")
        run("espeak-ng", "-v", "en-us", "-s", "155", "-w", str(raw), part[1])
        # resample, trim espeak's own silence at both ends, leave a little headroom
        run("sox", "-R", str(raw), *FMT, str(path), "silence", "1", "0.02", "0.5%", "reverse",
            "silence", "1", "0.02", "0.5%", "reverse", "gain", "-n", "-3")
    elif kind == "silence":
        run("sox", "-R", "-n", *FMT, str(path), "trim", "0", str(part[1]))
    elif kind == "tone":
        run("sox", "-R", "-n", *FMT, str(path), "synth", str(part[1]), "sine", str(part[2]),
            "gain", "-n", "-8", "fade", "q", "0.01", str(part[1]), "0.01")
    elif kind == "noise":
        run("sox", "-R", "-n", *FMT, str(path), "synth", str(part[1]), "pinknoise", "gain", "-n", "-18")
    else:
        raise ValueError(kind)


def main():
    (ROOT / "audio").mkdir(parents=True, exist_ok=True)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for n, (stem, parts, predicted) in enumerate(CLIPS, 1):
            files, regions, pos, words = [], [], 0, []
            for i, part in enumerate(parts):
                f = tmp / f"{stem}-{i}.wav"
                make_part(part, f)
                count = samples(f)
                if part[0] != "silence":
                    region = {"start": round(pos / RATE, 3), "end": round((pos + count) / RATE, 3), "label": part[0]}
                    if part[0] == "speech":
                        region["text"] = part[1]
                        words.append(part[1])
                    regions.append(region)
                pos += count
                files.append(str(f))
            out = ROOT / "audio" / f"{stem}.wav"
            run("sox", "-R", *files, *FMT, str(out))
            assert samples(out) == pos, stem
            item = {"id": f"clip-{n:03d}", "data": {"audio": f"audio/{stem}.wav"}}
            if predicted:
                item["predictions"] = [{"model": MODEL, "result": {"regions": regions, "transcript": " ".join(words)}, "score": 0.9}]
            lines.append(json.dumps(item))
            print(f"audio/{stem}.wav {pos / RATE:.2f}s: " + ", ".join(f"{r['label']} {r['start']}-{r['end']}" for r in regions))
    (ROOT / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
