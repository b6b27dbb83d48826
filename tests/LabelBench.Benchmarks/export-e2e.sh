#!/usr/bin/env bash
# End-to-end export benchmark: a SQLite data folder with 1,000,000 submitted annotations (500,000 items × 2 annotators),
# exported by `labelbench export` (JSONL and CSV, source all) under /usr/bin/time -v, and the same rows dumped by the
# sqlite3 command-line tool in `.mode json` for comparison. Prints a Markdown table of wall time and peak memory (max RSS).
#
# Needs: the .NET SDK, python3, /usr/bin/time (package `time`) and sqlite3 (package `sqlite3`).
# Usage: tests/LabelBench.Benchmarks/export-e2e.sh [items]     (default 500000 items → 1,000,000 annotations)
#        E2E_DATA_DIR=/path/to/data tests/LabelBench.Benchmarks/export-e2e.sh   reuses a data folder an earlier run kept
#        (E2E_KEEP=/path copies the generated one there), skipping the ~7 minutes of setup. E2E_RUNS=N runs each
#        command N times (default 3) and reports the median.
set -euo pipefail

ITEMS="${1:-500000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/labelbench-e2e.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export LabelBench__DataDir="${E2E_DATA_DIR:-$WORK/data}" LabelBench__SeedDemo=false

for tool in /usr/bin/time sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install time sqlite3 python3)" >&2; exit 2; }
done

echo "publishing the CLI (Release, ReadyToRun)..." >&2
# The CLI as shipped: a ReadyToRun publish (see the README), not the JIT-compiled build output.
dotnet publish "$ROOT/src/LabelBench.Cli" -c Release -o "$WORK/cli" -v q -nologo >/dev/null
CLI=(dotnet "$WORK/cli/labelbench.dll")

if [ -n "${E2E_DATA_DIR:-}" ]; then
  PROJECT=1
  IMPORT_START=0; IMPORT_END=0
else
"${CLI[@]}" users add --email lead@bench.local --password 'Bench-pass-1' >/dev/null
"${CLI[@]}" users add --email ann@bench.local --password 'Bench-pass-1' >/dev/null
"${CLI[@]}" users add --email bob@bench.local --password 'Bench-pass-1' >/dev/null
PROJECT=$("${CLI[@]}" projects create --name Bench --schema "$ROOT/samples/text-classification/schema.json" --overlap 2 --lead lead@bench.local)
"${CLI[@]}" members add --project "$PROJECT" --email ann@bench.local --role annotator >/dev/null
"${CLI[@]}" members add --project "$PROJECT" --email bob@bench.local --role annotator >/dev/null

echo "importing $ITEMS items through the app's import service..." >&2
python3 - "$ITEMS" > "$WORK/items.jsonl" <<'PY'
import json, sys
n = int(sys.argv[1])
for i in range(1, n + 1):
    print(json.dumps({"id": f"review-{i}", "data": {"text": f"Review number {i}: the kettle arrived on time and works, mostly."},
                      "split": "test" if i % 10 == 0 else "train"}))
PY
IMPORT_START=$(date +%s.%N)
"${CLI[@]}" import --project "$PROJECT" "$WORK/items.jsonl" >/dev/null
IMPORT_END=$(date +%s.%N)

DB="$WORK/data/labelbench.db"
echo "adding two submitted annotations per item with SQL..." >&2
sqlite3 "$DB" <<SQL
PRAGMA journal_mode=WAL;
INSERT INTO Annotations (ProjectId, ItemId, UserId, SchemaVersion, Status, ResultJson, TimeSpentMs, Flagged, CreatedAt, UpdatedAt, SubmittedAt)
SELECT i.ProjectId, i.Id, u.Id, 1, 'Submitted',
       '{"sentiment":"' || CASE (i.Id + (u.Email = 'bob@bench.local') * (i.Id % 7 = 0)) % 3 WHEN 0 THEN 'positive' WHEN 1 THEN 'negative' ELSE 'neutral' END || '"}',
       1200, 0, p.CreatedAt, p.CreatedAt, p.CreatedAt
FROM Items i JOIN Projects p ON p.Id = i.ProjectId JOIN AspNetUsers u ON u.Email IN ('ann@bench.local', 'bob@bench.local')
WHERE i.ProjectId = $PROJECT ORDER BY i.Id, u.Email;
UPDATE Items SET SubmittedCount = 2, AssignedCount = 2, Open = 0 WHERE ProjectId = $PROJECT;
SQL
[ -n "${E2E_KEEP:-}" ] && cp -r "$WORK/data" "$E2E_KEEP"
fi
DB="$LabelBench__DataDir/labelbench.db"
ANNOTATIONS=$(sqlite3 "$DB" "SELECT count(*) FROM Annotations WHERE ProjectId = $PROJECT AND Status = 'Submitted';")

# run NAME OUTFILE COMMAND...: wall seconds, CPU seconds and max RSS (MB) of COMMAND, from /usr/bin/time -v; the
# median run by wall time of RUNS (default 3). Dirty pages of the previous run are written out first (sync), so no run
# pays for another's write-back; single runs on a shared VM vary by ±20 %.
RUNS="${E2E_RUNS:-3}"
run() {
  local name="$1" out="$2"; shift 2
  local i
  : > "$WORK/$name.runs"
  for i in $(seq "$RUNS"); do
    sync
    /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.stdout"
    local wall cpu rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$WORK/$name.time")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$WORK/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$WORK/$name.time")
    echo "$wall $cpu $rss" >> "$WORK/$name.runs"
  done
  local median all bytes
  median=$(sort -n "$WORK/$name.runs" | awk -v n="$RUNS" 'NR == int((n + 1) / 2)')
  all=$(awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$WORK/$name.runs")
  bytes=$(stat -c %s "$out")
  read -r wall cpu rss <<< "$median"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$wall" "$all" "$cpu" "$rss" "$bytes"
}

QUERY="SELECT i.Id AS id, i.ExternalId AS externalId, i.DataJson AS data, i.Split AS split, a.Id AS annotationId, a.UserId AS annotator,
       a.SchemaVersion AS schemaVersion, a.ResultJson AS result, a.TimeSpentMs AS timeSpentMs, a.SubmittedAt AS submittedAt
FROM Items i JOIN Annotations a ON a.ItemId = i.Id
WHERE i.ProjectId = $PROJECT AND i.Pending = 0 AND a.Status = 'Submitted' ORDER BY i.Id, a.Id;"

echo >&2
ITEMS=$(sqlite3 "$DB" "SELECT count(*) FROM Items WHERE ProjectId = $PROJECT;")
echo "items: $ITEMS, submitted annotations: $ANNOTATIONS, import of the items (0 when reused): $(python3 -c "print(round($IMPORT_END - $IMPORT_START, 1))") s"
echo
echo "| run | wall time (s), median of $RUNS | every run (s) | CPU time, user + sys (s) | peak memory, max RSS (MB) | output bytes |"
echo '| --- | --- | --- | --- | --- | --- |'
run "sqlite3 .mode json" "$WORK/sqlite.json" sh -c "sqlite3 -cmd '.mode json' '$DB' \"$QUERY\" > '$WORK/sqlite.json'"
run "labelbench export jsonl (all)" "$WORK/export.jsonl" "${CLI[@]}" export --project "$PROJECT" --format jsonl --source all --out "$WORK/export.jsonl"
run "labelbench export csv (all)" "$WORK/export.csv" "${CLI[@]}" export --project "$PROJECT" --format csv --source all --out "$WORK/export.csv"
run "labelbench export jsonl (final)" "$WORK/final.jsonl" "${CLI[@]}" export --project "$PROJECT" --format jsonl --source final --out "$WORK/final.jsonl"
run "labelbench export parquet (all)" "$WORK/export.parquet" "${CLI[@]}" export --project "$PROJECT" --format parquet --source all --out "$WORK/export.parquet"
