#!/usr/bin/env bash
# Agreement dashboard open time at scale: a SQLite data folder with 40 annotators and 100,000 items, 3 submitted
# annotations per item (300,000 judgements, rotating annotators, ~80 % agreement with a hidden truth), served by the
# real web app (Release) on 127.0.0.1; times `GET /api/v1/projects/{id}/agreement` with a lead's token: the first open
# after start, repeated opens, and the first open after a new submission changed the figures. The browser page calls
# the same service, so these are the dashboard's server-side open times.
#
# Needs: the .NET SDK, python3, sqlite3, curl.
# Usage: tests/LabelBench.Benchmarks/agreement-dashboard.sh [items] [annotators]   (default 100000 40)
set -euo pipefail

ITEMS="${1:-100000}"
ANNOTATORS="${2:-40}"
PORT="${PORT:-5391}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/labelbench-dashboard.XXXXXX)"
APP_PID=""
cleanup() { [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
export LabelBench__DataDir="$WORK/data" LabelBench__SeedDemo=false

for tool in sqlite3 python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install sqlite3 python3 curl)" >&2; exit 2; }
done

echo "building the CLI and the web app (Release)..." >&2
dotnet build -c Release "$ROOT/src/LabelBench.Cli" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/src/LabelBench.Web" -v q -nologo >/dev/null
CLI=(dotnet "$ROOT/src/LabelBench.Cli/bin/Release/net10.0/labelbench.dll")

"${CLI[@]}" users add --email lead@bench.local --password 'Bench-pass-1' >/dev/null
PROJECT=$("${CLI[@]}" projects create --name Dashboard --schema "$ROOT/samples/text-classification/schema.json" --overlap 3 --lead lead@bench.local)
python3 - "$ITEMS" > "$WORK/items.jsonl" <<'PY'
import json, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"id": f"review-{i}", "data": {"text": f"Review number {i}: the kettle arrived on time and works, mostly."}}))
PY
"${CLI[@]}" import --project "$PROJECT" "$WORK/items.jsonl" >/dev/null
TOKEN=$("${CLI[@]}" tokens create --email lead@bench.local --name bench)

DB="$WORK/data/labelbench.db"
echo "adding $ANNOTATORS annotators and 3 submitted annotations per item with SQL..." >&2
# Users straight into the Identity table (they never sign in here); members; then annotations: item i goes to
# annotators i, i+1, i+2 (mod A); annotator a agrees with the item's hidden truth unless (i * 7 + a) % 5 = 0, and
# annotators 0 and 1 drift towards "neutral" on every third item (a bias the dashboard should show).
python3 - "$DB" "$PROJECT" "$ANNOTATORS" <<'PY'
import sqlite3, sys, uuid
db, project, annotators = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
now = con.execute("SELECT CreatedAt FROM Projects WHERE Id = ?", (project,)).fetchone()[0]  # the stored timestamp format
users = []
for a in range(annotators):
    uid = str(uuid.uuid4())
    email = f"ann{a:02d}@bench.local"
    con.execute("INSERT INTO AspNetUsers (Id, CreatedAt, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed, SecurityStamp, ConcurrencyStamp, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount) VALUES (?,?,?,?,?,?,1,?,?,0,0,1,0)",
                (uid, now, email, email.upper(), email, email.upper(), str(uuid.uuid4()), str(uuid.uuid4())))
    users.append(uid)
cols = [r[1] for r in con.execute("PRAGMA table_info(ProjectMembers)")]
for uid in users:
    values = {"ProjectId": project, "UserId": uid, "Role": "Annotator", "AddedAt": now, "CreatedAt": now}
    present = [c for c in values if c in cols]
    con.execute(f"INSERT INTO ProjectMembers ({','.join(present)}) VALUES ({','.join('?' * len(present))})", [values[c] for c in present])
labels = ["positive", "negative", "neutral"]
items = [r[0] for r in con.execute("SELECT Id FROM Items WHERE ProjectId = ? ORDER BY Id", (project,))]
def rows():
    for n, item in enumerate(items):
        truth = labels[(item * 2654435761) % 3]
        for k in range(3):
            a = (n + k) % annotators
            label = truth if (item * 7 + a) % 5 else labels[(labels.index(truth) + 1 + a % 2) % 3]
            if a < 2 and item % 3 == 0:
                label = "neutral"
            yield (project, item, users[a], 1, "Submitted", '{"sentiment":"%s"}' % label, 1500, now, now, now)
con.executemany("INSERT INTO Annotations (ProjectId, ItemId, UserId, SchemaVersion, Status, ResultJson, TimeSpentMs, Flagged, CreatedAt, UpdatedAt, SubmittedAt) VALUES (?,?,?,?,?,?,?,0,?,?,?)", rows())
con.execute("UPDATE Items SET SubmittedCount = 3, AssignedCount = 3, Open = 0 WHERE ProjectId = ?", (project,))
con.execute("UPDATE Projects SET SubmittedCount = ? WHERE Id = ?", (len(items) * 3, project))
con.commit()
PY

echo "starting the web app on 127.0.0.1:$PORT..." >&2
ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$ROOT/src/LabelBench.Web/bin/Release/net10.0/LabelBench.Web.dll" > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done

FRESH=""
open_dashboard() {
  curl -s -o "$WORK/dashboard.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/v1/projects/$PROJECT/agreement${FRESH:+?fresh=true}"
}

echo "items: $ITEMS, annotators: $ANNOTATORS, judgements: $(sqlite3 "$DB" "SELECT count(*) FROM Annotations WHERE ProjectId = $PROJECT")"
echo
echo '| open | HTTP | seconds |'
echo '| --- | --- | --- |'
read -r code secs < <(open_dashboard); echo "| first open after start (computes) | $code | $secs |"
for n in 1 2 3; do read -r code secs < <(open_dashboard); echo "| open again ($n) | $code | $secs |"; done
# A new submission changes the figures: add one annotation and bump the project's counter, as a submit does.
sqlite3 "$DB" "UPDATE Projects SET SubmittedCount = SubmittedCount + 1 WHERE Id = $PROJECT;"
read -r code secs < <(open_dashboard); echo "| first open after a new submission | $code | $secs |"
read -r code secs < <(open_dashboard); echo "| open again | $code | $secs |"
sleep 20  # let the background computation finish
FRESH=1; sqlite3 "$DB" "UPDATE Projects SET SubmittedCount = SubmittedCount + 1 WHERE Id = $PROJECT;"
read -r code secs < <(open_dashboard); echo "| ?fresh=true after another submission (waits for the computation, warm process) | $code | $secs |"
echo
grep -o 'Agreement figures of project.*' "$WORK/app.log" | sed 's/^/    /' || true
python3 - "$WORK/dashboard.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
dash = d.get("dashboard") or {}
print()
print("headline:", json.dumps(dash.get("headline", ""))[:300])
print("stale:", d.get("stale"), "computedAt:", d.get("computedAt"))
PY
