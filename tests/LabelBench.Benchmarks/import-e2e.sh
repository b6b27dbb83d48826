#!/usr/bin/env bash
# End-to-end import benchmark: a CSV and a JSONL of ROWS realistic review rows (~150 bytes each, a few columns) are each
# imported by `labelbench import` into a fresh project of a SQLite data folder built through the CLI, under
# /usr/bin/time -v (wall time, peak memory as max RSS), with the import's resident memory sampled every 2 s to show it
# stays flat. Meanwhile two annotators keep working in another project of the same database (the `probe` mode of the
# benchmarks console: next → submit through QueueService, as the web app calls it, every 200 ms) and report their
# worst wait, which is what a long write transaction would show.
#
# Needs: the .NET SDK, python3 and /usr/bin/time (package `time`).
# Usage: tests/LabelBench.Benchmarks/import-e2e.sh [rows]     (default 1000000)
set -euo pipefail

ROWS="${1:-1000000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/labelbench-import.XXXXXX)"
PROBE_PID=""
cleanup() { [ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
export LabelBench__DataDir="$WORK/data" LabelBench__SeedDemo=false

for tool in /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install time python3)" >&2; exit 2; }
done

echo "publishing the CLI (Release, ReadyToRun) and building the benchmarks console..." >&2
# The CLI as shipped: a ReadyToRun publish (see the README), not the JIT-compiled build output.
dotnet publish "$ROOT/src/LabelBench.Cli" -c Release -o "$WORK/cli" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/tests/LabelBench.Benchmarks" -v q -nologo >/dev/null
CLI=(dotnet "$WORK/cli/labelbench.dll")
BENCH=(dotnet "$ROOT/tests/LabelBench.Benchmarks/bin/Release/net10.0/LabelBench.Benchmarks.dll")
SCHEMA="$ROOT/samples/text-classification/schema.json"

echo "writing $ROWS rows as CSV and as JSONL..." >&2
python3 - "$ROWS" "$WORK" <<'PY'
import csv, json, random, sys
n, work = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
openers = ["The kettle", "This blender", "Our hotel room", "The delivery", "Customer service", "The cafe on Main Street",
           "This phone case", "The running shoes", "The support chat", "The hiking backpack"]
verbs = ["arrived on time and works", "broke after two weeks", "was exactly as described", "took far too long",
         "exceeded my expectations", "is \"fine\", I suppose", "felt cheap, but does the job", "was friendly and quick"]
tails = ["would buy again.", "not worth the money.", "the lid is a little stiff, though.", "five stars from me!",
         "returned it the next day.", "my kids love it; so do I.", "shipping, however, was slow.", "no complaints so far."]
products = ["kitchen", "electronics", "travel", "outdoor", "food"]
with open(f"{work}/items.csv", "w", newline="", encoding="utf-8") as c, open(f"{work}/items.jsonl", "w", encoding="utf-8") as j:
    w = csv.writer(c)
    w.writerow(["id", "text", "product", "rating", "split"])
    for i in range(1, n + 1):
        text = f"{rng.choice(openers)} {rng.choice(verbs)}, {rng.choice(tails)} (review {i})"
        product, rating, split = rng.choice(products), str(rng.randint(1, 5)), "test" if i % 10 == 0 else "train"
        w.writerow([f"r{i}", text, product, rating, split])
        j.write(json.dumps({"id": f"r{i}", "data": {"text": text, "product": product, "rating": int(rating)}, "split": split}) + "\n")
PY

echo "setting up users and projects through the CLI..." >&2
for who in lead ann1 ann2; do "${CLI[@]}" users add --email "$who@bench.local" --password 'Bench-pass-1' >/dev/null; done
LIVE=$("${CLI[@]}" projects create --name Live --schema "$SCHEMA" --overlap 2 --lead lead@bench.local)
for who in ann1 ann2; do "${CLI[@]}" members add --project "$LIVE" --email "$who@bench.local" --role annotator >/dev/null; done
head -n 20001 "$WORK/items.csv" > "$WORK/live.csv"
"${CLI[@]}" import --project "$LIVE" "$WORK/live.csv" >/dev/null

# import NAME FILE: one import into a fresh project, with the probe running beside it.
import() {
  local name="$1" file="$2" project
  project=$("${CLI[@]}" projects create --name "Import $name" --schema "$SCHEMA" --overlap 2 --lead lead@bench.local)
  rm -f "$WORK/stop"
  "${BENCH[@]}" probe --data "$WORK/data" --project "$LIVE" --emails ann1@bench.local,ann2@bench.local --stop-file "$WORK/stop" \
    > "$WORK/$name.probe" 2> "$WORK/$name.probe.err" &
  PROBE_PID=$!
  sleep 3
  /usr/bin/time -v -o "$WORK/$name.time" "${CLI[@]}" import --project "$project" "$file" > "$WORK/$name.report" &
  local time_pid=$! child=""
  while [ -z "$child" ] && kill -0 "$time_pid" 2>/dev/null; do child=$(pgrep -P "$time_pid" || true); sleep 0.2; done
  : > "$WORK/$name.rss"
  while [ -n "$child" ] && kill -0 "$child" 2>/dev/null; do
    awk '/VmRSS/ { printf "%.0f\n", $2 / 1024 }' "/proc/$child/status" >> "$WORK/$name.rss" 2>/dev/null || true
    sleep 2
  done
  wait "$time_pid"
  touch "$WORK/stop"; wait "$PROBE_PID" || true; PROBE_PID=""
  local wall rss imported samples
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$WORK/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/$name.time")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$WORK/$name.time")
  imported=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['imported'])" "$WORK/$name.report")
  # Resident memory at 10 %, 25 %, 50 %, 75 % and 90 % of the run: flat means these stay close.
  samples=$(python3 -c "
import sys
v = [int(x) for x in open(sys.argv[1]) if x.strip()]
print(' / '.join(str(v[min(len(v) - 1, int(len(v) * q))]) for q in (0.1, 0.25, 0.5, 0.75, 0.9)) if v else '-')" "$WORK/$name.rss")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$imported" "$wall" "$cpu" \
    "$(python3 -c "print(f'{$imported / $wall:,.0f}')")" "$rss" "$samples" \
    "$(python3 -c "
import json, sys
p = json.load(open(sys.argv[1]))
print(f\"{p['rounds']} rounds, next p95 {p['nextP95']} / max {p['nextMax']} ms, submit p95 {p['submitP95']} / max {p['submitMax']} ms, {p['errors']} errors\")" "$WORK/$name.probe")"
}

echo >&2
echo "rows: $ROWS, CSV $(stat -c %s "$WORK/items.csv") bytes, JSONL $(stat -c %s "$WORK/items.jsonl") bytes"
echo
echo '| file | imported | wall time (s) | CPU, user + sys (s) | rows/s | peak memory, max RSS (MB) | RSS at 10/25/50/75/90 % of the run (MB) | annotators meanwhile (probe) |'
echo '| --- | --- | --- | --- | --- | --- | --- | --- |'
import csv "$WORK/items.csv"
import jsonl "$WORK/items.jsonl"
