#!/usr/bin/env bash
# Workspace benchmarks at 1,000,000 items: a SQLite data folder seeded with bulk SQL (the benchmarks console's `seed`:
# ITEMS items of which DONE already complete, 50 annotators with personal access tokens, a small drain project), then
#  1. server-side latency of `next` and submit, calling QueueService in process as the endpoints do (`latency`),
#     CALLS rounds per queue order (sequential, random, uncertainty), one call at a time;
#  2. the real web app (Release, `dotnet LabelBench.Web.dll --urls`) with 50 annotators × 2 tabs through REST for
#     SECONDS, then the drain project until empty, and the database checked for the queue's promises (`rest`).
#
# Needs: the .NET SDK and curl.
# Usage: tests/LabelBench.Benchmarks/workspace-e2e.sh [items] [calls] [seconds]     (defaults 1000000 2000 60)
set -euo pipefail

ITEMS="${1:-1000000}"
CALLS="${2:-2000}"
SECONDS_LOAD="${3:-60}"
DONE=$((ITEMS / 5))
PORT="${PORT:-5187}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/labelbench-workspace.XXXXXX)"
APP_PID=""
cleanup() { [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "building the web app and the benchmarks console (Release)..." >&2
dotnet build -c Release "$ROOT/src/LabelBench.Web" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/tests/LabelBench.Benchmarks" -v q -nologo >/dev/null
BENCH=(dotnet "$ROOT/tests/LabelBench.Benchmarks/bin/Release/net10.0/LabelBench.Benchmarks.dll")

echo "seeding $ITEMS items ($DONE complete)..." >&2
SEEDED=$("${BENCH[@]}" seed --data "$WORK/data" --items "$ITEMS" --done "$DONE" --annotators 50 --overlap 2 --drain-items 1000 --drain-overlap 3)
PROJECT=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['project'])" "$SEEDED")
DRAIN=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['drainProject'])" "$SEEDED")

echo
echo "## Server-side latency (QueueService in process, $CALLS rounds per order over 10 annotators, one call at a time)"
echo
"${BENCH[@]}" latency --data "$WORK/data" --project "$PROJECT" --calls "$CALLS" --annotators 10 --orders sequential,random,uncertainty
# Back to sequential for the REST run.
"${BENCH[@]}" latency --data "$WORK/data" --project "$PROJECT" --calls 0 --orders sequential >/dev/null 2>&1

echo >&2
echo "starting the web app on port $PORT..." >&2
WEB_DIR="$ROOT/src/LabelBench.Web/bin/Release/net10.0"
LabelBench__DataDir="$WORK/data" LabelBench__SeedDemo=false LabelBench__AdminPassword='Bench-admin-1' ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$WEB_DIR/LabelBench.Web.dll" --urls "http://127.0.0.1:$PORT" --contentRoot "$WEB_DIR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "the app did not start:" >&2; tail -20 "$WORK/app.log" >&2; exit 1; }

echo
echo "## REST: 50 annotators at a human pace (1 tab, 5 s per item), then 50 × 2 tabs in a tight next → submit loop"
echo
STATUS=0
"${BENCH[@]}" rest --url "http://127.0.0.1:$PORT" --data "$WORK/data" --project "$PROJECT" --drain-project "$DRAIN" \
  --annotators 50 --tabs 2 --seconds "$SECONDS_LOAD" --paced-seconds "$SECONDS_LOAD" --think-ms 5000 || STATUS=$?
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
grep -E "fail|Exception" "$WORK/app.log" | head -5 >&2 || true
exit "$STATUS"
