#!/usr/bin/env bash
# Chaos benchmark: SQLite -> Constant Contact (one POST /contacts per record) against a local sandbox that fails
# about 10% of the requests (500, 503, 429, timeouts, connections cut after the request was processed), with the
# run killed (kill -9) twice mid-way and then run to completion. Checks, through the sandbox's own data, that every
# source contact exists exactly once, and that the last run's accounting balances. Exits non-zero when a check fails.
#   bench/chaos.sh                     # 5,000 contacts, 4 worker processes
#   CONTACTS=2000 WORKERS=1 bench/chaos.sh
# Everything listens on 127.0.0.1. The sandbox's rate limit is off (at the real 4 requests/s the run would take
# about 21 minutes); the connector still paces itself (requests_per_second 50 per process).
set -euo pipefail
cd "$(dirname "$0")/.."
CONTACTS=${CONTACTS:-5000}
WORKERS=${WORKERS:-4}
FAULTS=${FAULTS:-500=0.04,503=0.03,429=0.02,timeout=0.005,cut=0.005,seed=7,delay=3s}
KILL1=${KILL1:-25}   # kill -9 the first run once this % of the contacts exist
KILL2=${KILL2:-55}   # ... and the second run at this %
TOKEN=sandbox-access-token
data=bench/.data/chaos
for tool in python3 curl jq sqlite3; do command -v $tool >/dev/null || { echo "needs $tool"; exit 2; }; done

echo "building Release..."
dotnet build src/EtlRunner.Cli -c Release -v q -nologo >/dev/null
etl=(dotnet src/EtlRunner.Cli/bin/Release/net10.0/etl.dll)

rm -rf "$data" && mkdir -p "$data"
python3 - "$data/source.db" "$CONTACTS" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("create table contacts (id integer primary key, email text not null unique, first_name text, last_name text, company text)")
db.executemany("insert into contacts values (?, ?, ?, ?, ?)",
               [(i, f"chaos{i:05d}@example.com", f"First{i}", f"Last{i}", f"Company {i % 97}") for i in range(1, int(sys.argv[2]) + 1)])
db.commit()
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
"${etl[@]}" sandbox constantcontact --port "$port" --data "$data/cc.db" --faults "$FAULTS" --rate-limit off >"$data/sandbox.log" 2>&1 &
sandbox=$!
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  kill "$sandbox" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "$base/_sandbox/stats" >/dev/null && break; sleep 0.2; done
curl -sf "$base/_sandbox/stats" >/dev/null || { echo "the sandbox did not start:"; cat "$data/sandbox.log"; exit 1; }

echo "sandbox:  $base  faults $FAULTS  rate limit OFF (at the real 4 requests/s this run would take ~21 min)"
echo "source:   $CONTACTS contacts (unique emails) in $data/source.db; $WORKERS etl process(es), each on id % $WORKERS"
echo

contacts() { sqlite3 "$data/cc.db" "select count(*) from contacts" 2>/dev/null || echo 0; }
status_count() { curl -sf "$base/_sandbox/stats" | jq "[.routes[].statuses[\"$1\"] // 0] | add // 0"; }
pending_batches() {
  local n=0 w
  for ((w = 0; w < WORKERS; w++)); do
    n=$((n + $(sqlite3 "$data/state-$w/state.db" "select count(*) from ledger where state = 1" 2>/dev/null || echo 0)))
  done
  echo $n
}

# start_run NAME: every worker in the background, stdout (json) and stderr to files
start_run() {
  pids=()
  local w
  for ((w = 0; w < WORKERS; w++)); do
    "${etl[@]}" run bench/chaos.yaml --output json --quiet --state-dir "$data/state-$w" \
      --var workers="$WORKERS" --var worker="$w" \
      --var cc_base_url="$base/v3" --var cc_api_key=chaos-client --var cc_access_token="$TOKEN" \
      >"$data/$1-$w.json" 2>"$data/$1-$w.err" &
    pids+=($!)
  done
}

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

started=$(date +%s.%N)
for kill in 1 2; do
  percent=$([ $kill = 1 ] && echo "$KILL1" || echo "$KILL2")
  target=$((CONTACTS * percent / 100))
  start_run "run$kill"
  t0=$(date +%s.%N)
  while [ "$(contacts)" -lt "$target" ]; do
    sleep 0.2
    alive=0; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 1 ] || { fail "run $kill ended before the kill point"; break; }
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  at=$(contacts)
  printf 'run %d: kill -9 after %5.1f s with %d of %d contacts in the sandbox, %s batch(es) left pending in the ledgers\n' \
    "$kill" "$(echo "$(date +%s.%N) - $t0" | bc)" "$at" "$CONTACTS" "$(pending_batches)"
  if [ "$at" -le 0 ] || [ "$at" -ge "$CONTACTS" ]; then fail "kill $kill did not land mid-run ($at contacts)"; fi
done

conflicts_before=$(status_count 409)
start_run run3
t0=$(date +%s.%N)
codes=()
for pid in "${pids[@]}"; do
  if wait "$pid"; then codes+=(0); else codes+=($?); fi
done
pids=()
printf 'run 3: completed in %.1f s, exit codes %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "${codes[*]}"
wall=$(echo "$(date +%s.%N) - $started" | bc)
for ((w = 0; w < WORKERS; w++)); do
  [ "${codes[$w]}" = 0 ] || { fail "worker $w exited ${codes[$w]}"; tail -5 "$data/run3-$w.err"; }
done

stats=$(curl -sf "$base/_sandbox/stats")
conflicts_last=$(( $(status_count 409) - conflicts_before ))

# The last run's accounting, summed over the workers.
read -r read written skipped rejected filtered statuses < <(
  cat "$data"/run3-*.json | jq -rs '[map(.operations[0]) | (map(.read) | add), (map(.written) | add), (map(.skipped) | add),
    (map(.rejected) | add), (map(.filtered) | add), (map(.status) | unique | join(","))] | @tsv')

# What the sandbox holds, from its data file (and the source emails, from the source table).
read -r total distinct duplicates missing extra mismatched deleted < <(python3 - "$data/cc.db" "$data/source.db" <<'PY'
import json, sqlite3, sys
rows = [json.loads(j) for (j,) in sqlite3.connect(sys.argv[1]).execute("select json from contacts")]
source = {e: (f, l, c) for (e, f, l, c) in sqlite3.connect(sys.argv[2]).execute("select email, first_name, last_name, company from contacts")}
emails = [r["Email"]["Address"] for r in rows if r.get("Email")]
seen = set(emails)
mismatched = sum(1 for r in rows if r.get("Email") and r["Email"]["Address"] in source
                 and source[r["Email"]["Address"]] != (r["FirstName"], r["LastName"], r["CompanyName"]))
print(len(rows), len(seen), len(emails) - len(seen), len(set(source) - seen), len(seen - set(source)), mismatched,
      sum(1 for r in rows if r.get("DeletedAt")))
PY
)

# The same through the API, as any client sees it (GET /v3/contacts?status=all, 500 a page; faults retried).
api=$(python3 - "$base" "$TOKEN" <<'PY'
import json, sys, time, urllib.request, urllib.error
base, token = sys.argv[1], sys.argv[2]
url, emails = f"{base}/v3/contacts?status=all&limit=500", []
while url:
    for attempt in range(30):
        try:
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
            page = json.load(urllib.request.urlopen(request, timeout=5))
            break
        except (urllib.error.URLError, OSError, ValueError):
            time.sleep(0.2)
    else:
        sys.exit("the API kept failing")
    emails += [c["email_address"]["address"] for c in page["contacts"]]
    nxt = page.get("_links", {}).get("next", {}).get("href")
    url = base.rsplit("/v3", 1)[0] + nxt if nxt else None
print(len(emails), len(emails) - len(set(emails)))
PY
)
read -r api_total api_duplicates <<<"$api"

echo
echo "requests by status, all runs (from /_sandbox/stats): $(echo "$stats" | jq -r '[.routes[] | .statuses | to_entries[]] | group_by(.key) | map("\(.[0].key)=\(map(.value) | add)") | join("  ")')   total $(echo "$stats" | jq .total)"
echo "$stats" | jq -r '.routes | to_entries[] | "  \(.key): \(.value.total)  (\(.value.statuses | to_entries | map("\(.key)=\(.value)") | join(" ")))"'
echo "faults injected: $(echo "$stats" | jq -r '.faults | to_entries | map("\(.key)=\(.value)") | join("  ")')  (total $(echo "$stats" | jq '[.faults[]] | add // 0'), $(echo "$stats" | jq -r '"\(100 * ([.faults[]] | add // 0) / .total | floor)"')% of the requests)"
echo "409 responses: $conflicts_last in the last run, $(status_count 409) in all runs"
echo
printf 'wall time:  %.1f s (3 runs)\n' "$wall"
echo "contacts:   $total in the data file ($distinct distinct emails), $api_total through the API; expected $CONTACTS"
echo "duplicates: $duplicates in the data file, $api_duplicates through the API"
echo "missing:    $missing source emails absent; $extra contacts not from the source; $mismatched with other data; $deleted deleted"
echo "last run:   read $read = written $written + skipped $skipped + rejected $rejected + filtered $filtered  (status $statuses)"

[ "$total" = "$CONTACTS" ] || fail "expected $CONTACTS contacts, found $total"
[ "$api_total" = "$CONTACTS" ] || fail "the API lists $api_total contacts, expected $CONTACTS"
[ "$duplicates" = 0 ] && [ "$api_duplicates" = 0 ] || fail "duplicate emails"
[ "$missing" = 0 ] && [ "$extra" = 0 ] && [ "$mismatched" = 0 ] && [ "$deleted" = 0 ] || fail "contacts missing, extra, different or deleted"
[ "$read" = "$CONTACTS" ] || fail "the last run read $read records, expected $CONTACTS"
[ "$read" = "$((written + skipped + rejected + filtered))" ] || fail "the last run's accounting does not balance"
[ "$rejected" = 0 ] || { fail "$rejected record(s) rejected"; cat "$data"/run3-*.json | jq -r '.operations[0].rejects_file // empty'; }
[ "$conflicts_last" = 0 ] || fail "$conflicts_last 409 response(s) in the last run"
if [ "$failures" -gt 0 ]; then echo "chaos: $failures check(s) FAILED"; exit 1; fi
echo "chaos: every check passed"
