#!/usr/bin/env bash
# Chaos benchmark: a chain of two operations, SQLite -> Constant Contact (one POST /contacts per record) against a
# local sandbox that fails about 10% of the requests (500, 503, 429, timeouts, connections cut after the request was
# processed), then on success the same rows -> a SQLite mirror whose CHECK constraint refuses every 50th row, with a
# map that reads the run id and the clock. Killed (kill -9) twice during the first operation, once right after it
# ends (ETL_TEST_CRASH_AT=after-operation), once during the second, then run to completion. Checks, through the
# sandbox's own data and the mirror files, that every record was written exactly once, that every refused row is in
# exactly one rejects file and that the rejects files replay. Exits non-zero when a check fails.
#   bench/chaos.sh                     # 5,000 contacts, one etl process at 200 requests/s
#   CONTACTS=2000 RPS=100 bench/chaos.sh
# (One process: a run locks the Constant Contact account it writes, so two runs into one account are refused.
# WORKERS=N still splits the table by id % N, for a sandbox per worker or to see the refusal.)
# Everything listens on 127.0.0.1. The sandbox's rate limit is off (at the real 4 requests/s the run would take
# about 21 minutes); the connector still paces itself (requests_per_second RPS, 200 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
CONTACTS=${CONTACTS:-5000}
WORKERS=${WORKERS:-1}
RPS=${RPS:-200}
FAULTS=${FAULTS:-500=0.04,503=0.03,429=0.02,timeout=0.005,cut=0.005,seed=7,delay=3s}
KILL1=${KILL1:-25}   # kill -9 the first run once this % of the contacts exist
KILL2=${KILL2:-55}   # ... and the second run at this %
KILL4=${KILL4:-20}   # the fourth run (in the second operation) once this % of the mirror rows are confirmed
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
for ((w = 0; w < WORKERS; w++)); do
  sqlite3 "$data/mirror-$w.db" "create table mirror (id integer primary key, email text not null, name text, loaded_by text, loaded_at text, check (id % 50 != 0))"
done
mirror_expected=$((CONTACTS - CONTACTS / 50))

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
echo '{"contacts": []}' >"$data/empty-seed.json" # an empty account, not the demo seed
"${etl[@]}" sandbox constantcontact --port "$port" --data "$data/cc.db" --seed "$data/empty-seed.json" --faults "$FAULTS" --rate-limit off >"$data/sandbox.log" 2>&1 &
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
mirrored() {
  local n=0 w
  for ((w = 0; w < WORKERS; w++)); do n=$((n + $(sqlite3 "$data/mirror-$w.db" "select count(*) from mirror" 2>/dev/null || echo 0))); done
  echo $n
}
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
      --var workers="$WORKERS" --var worker="$w" --var mirror_db="$PWD/$data/mirror-$w.db" --var cc_requests_per_second="$RPS" \
      --var cc_base_url="$base/v3" --var cc_api_key=chaos-client --var cc_access_token="$TOKEN" \
      >"$data/$1-$w.json" 2>"$data/$1-$w.err" &
    pids+=($!)
  done
}

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# kill_when NAME WHAT TARGET: start a run, kill -9 every worker once WHAT (contacts or mirrored) reaches TARGET
kill_when() {
  start_run "$1"
  local t0 at alive pid
  t0=$(date +%s.%N)
  while [ "$($2)" -lt "$3" ]; do
    sleep 0.2
    alive=0; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 1 ] || { fail "$1 ended before the kill point"; break; }
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  printf '%s: kill -9 after %5.1f s with %d of %d contacts in the sandbox and %d of %d mirror rows, %s batch(es) pending in the ledgers\n' \
    "$1" "$(echo "$(date +%s.%N) - $t0" | bc)" "$(contacts)" "$CONTACTS" "$(mirrored)" "$mirror_expected" "$(pending_batches)"
}

started=$(date +%s.%N)
kill_when run1 contacts $((CONTACTS * KILL1 / 100))
at=$(contacts); { [ "$at" -gt 0 ] && [ "$at" -lt "$CONTACTS" ]; } || fail "kill 1 did not land mid-run ($at contacts)"
kill_when run2 contacts $((CONTACTS * KILL2 / 100))
at=$(contacts); { [ "$at" -gt 0 ] && [ "$at" -lt "$CONTACTS" ]; } || fail "kill 2 did not land mid-run ($at contacts)"

# Run 3 kills itself right after the first operation's end is recorded, before the chain goes on.
t0=$(date +%s.%N)
export ETL_TEST_CRASH_AT=after-operation
start_run run3
unset ETL_TEST_CRASH_AT
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
printf 'run3: killed itself right after "Create contacts" ended, after %5.1f s: %d contacts, %d mirror rows\n' \
  "$(echo "$(date +%s.%N) - $t0" | bc)" "$(contacts)" "$(mirrored)"
[ "$(mirrored)" = 0 ] || fail "run 3 wrote mirror rows before its kill point"

# Run 4 kills itself once the batch (of 10 rows) that holds KILL4 % of the mirror rows is confirmed: mid-way on any machine.
t0=$(date +%s.%N)
export ETL_TEST_CRASH_AT="after-batch:Mirror contacts:$((mirror_expected * KILL4 / 100 / 10))"
start_run run4
unset ETL_TEST_CRASH_AT
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
at=$(mirrored)
printf 'run4: killed itself during "Mirror contacts" after %5.1f s: %d of %d mirror rows, %s batch(es) pending in the ledgers\n' \
  "$(echo "$(date +%s.%N) - $t0" | bc)" "$at" "$mirror_expected" "$(pending_batches)"
{ [ "$at" -gt 0 ] && [ "$at" -lt "$mirror_expected" ]; } || fail "kill 4 did not land mid-operation ($at mirror rows)"

conflicts_before=$(status_count 409)
start_run run5
t0=$(date +%s.%N)
codes=()
for pid in "${pids[@]}"; do
  if wait "$pid"; then codes+=(0); else codes+=($?); fi
done
pids=()
printf 'run5: completed in %.1f s, exit codes %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "${codes[*]}"
wall=$(echo "$(date +%s.%N) - $started" | bc)
for ((w = 0; w < WORKERS; w++)); do
  [ "${codes[$w]}" = 0 ] || { fail "worker $w exited ${codes[$w]}"; tail -5 "$data/run5-$w.err"; }
done

stats=$(curl -sf "$base/_sandbox/stats")
conflicts_last=$(( $(status_count 409) - conflicts_before ))

# The last run's accounting, summed over the workers.
read -r read written skipped rejected filtered statuses < <(
  cat "$data"/run5-*.json | jq -rs '[map(.operations[0]) | (map(.read) | add), (map(.written) | add), (map(.skipped) | add),
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

# The mirror: every row the constraint allows exactly once; every refused row in exactly one rejects file.
read -r mirror_rows mirror_distinct mirror_refused < <(
  for ((w = 0; w < WORKERS; w++)); do sqlite3 -separator ' ' "$data/mirror-$w.db" "select count(*), count(distinct id), sum(id % 50 = 0) from mirror"; done |
    awk '{r += $1; d += $2; x += $3} END {print r, d, x}')
mapfile -t reject_files < <(find "$data" -path '*/rejects/*' -name 'Mirror_contacts.jsonl' | sort)
read -r reject_lines reject_distinct reject_other < <(cat "${reject_files[@]}" /dev/null | jq -rs '
  [length, (map(.origin) | unique | length), (map(select(.code != "check")) | length)] | @tsv')
replayed=0
for file in "${reject_files[@]}"; do
  lines=$(wc -l <"$file")
  out=$("${etl[@]}" replay "$file" --pipeline bench/chaos.yaml --dry-run --output json --quiet --state-dir "$(dirname "$(dirname "$(dirname "$file")")")" \
    --var cc_base_url="$base/v3" --var cc_api_key=chaos-client --var cc_access_token="$TOKEN" --var mirror_db="$PWD/$data/mirror-0.db") \
    || fail "etl replay refused $file"
  [ "$(echo "$out" | jq '.operations[0].read')" = "$lines" ] || fail "etl replay read $(echo "$out" | jq '.operations[0].read') of the $lines records in $file"
  replayed=$((replayed + lines))
done
read -r mirror_read mirror_balanced < <(cat "$data"/run5-*.json | jq -rs '
  [map(.operations[] | select(.name == "Mirror contacts")) | (map(.read) | add),
   (map(.read == .filtered + .written + .skipped + .rejected) | all)] | @tsv')

echo
echo "requests by status, all runs (from /_sandbox/stats): $(echo "$stats" | jq -r '[.routes[] | .statuses | to_entries[]] | group_by(.key) | map("\(.[0].key)=\(map(.value) | add)") | join("  ")')   total $(echo "$stats" | jq .total)"
echo "$stats" | jq -r '.routes | to_entries[] | "  \(.key): \(.value.total)  (\(.value.statuses | to_entries | map("\(.key)=\(.value)") | join(" ")))"'
echo "faults injected: $(echo "$stats" | jq -r '.faults | to_entries | map("\(.key)=\(.value)") | join("  ")')  (total $(echo "$stats" | jq '[.faults[]] | add // 0'), $(echo "$stats" | jq -r '"\(100 * ([.faults[]] | add // 0) / .total | floor)"')% of the requests)"
echo "409 responses: $conflicts_last in the last run, $(status_count 409) in all runs"
echo
printf 'wall time:  %.1f s (5 runs)\n' "$wall"
echo "contacts:   $total in the data file ($distinct distinct emails), $api_total through the API; expected $CONTACTS"
echo "duplicates: $duplicates in the data file, $api_duplicates through the API"
echo "missing:    $missing source emails absent; $extra contacts not from the source; $mismatched with other data; $deleted deleted"
echo "last run:   read $read = written $written + skipped $skipped + rejected $rejected + filtered $filtered  (status $statuses)"
echo "mirror:     $mirror_rows rows ($mirror_distinct distinct ids, $mirror_refused refused ones); expected $mirror_expected"
echo "rejects:    $reject_lines refused rows in ${#reject_files[@]} rejects file(s) of the runs ($reject_distinct distinct, $reject_other for another reason); expected $((CONTACTS / 50)); etl replay --dry-run read $replayed"

[ "$total" = "$CONTACTS" ] || fail "expected $CONTACTS contacts, found $total"
[ "$api_total" = "$CONTACTS" ] || fail "the API lists $api_total contacts, expected $CONTACTS"
[ "$duplicates" = 0 ] && [ "$api_duplicates" = 0 ] || fail "duplicate emails"
[ "$missing" = 0 ] && [ "$extra" = 0 ] && [ "$mismatched" = 0 ] && [ "$deleted" = 0 ] || fail "contacts missing, extra, different or deleted"
[ "$read" = "$CONTACTS" ] || fail "the last run read $read records, expected $CONTACTS"
[ "$read" = "$((written + skipped + rejected + filtered))" ] || fail "the last run's accounting does not balance"
[ "$rejected" = 0 ] || { fail "$rejected record(s) rejected"; cat "$data"/run5-*.json | jq -r '.operations[0].rejects_file // empty'; }
[ "$conflicts_last" = 0 ] || fail "$conflicts_last 409 response(s) in the last run"
[ "$mirror_rows" = "$mirror_expected" ] && [ "$mirror_distinct" = "$mirror_expected" ] && [ "$mirror_refused" = 0 ] \
  || fail "the mirror holds $mirror_rows rows ($mirror_distinct distinct), expected $mirror_expected"
[ "$reject_lines" = "$((CONTACTS / 50))" ] && [ "$reject_distinct" = "$((CONTACTS / 50))" ] && [ "$reject_other" = 0 ] \
  || fail "the rejects files hold $reject_lines refused rows ($reject_distinct distinct, $reject_other other), expected each of the $((CONTACTS / 50)) once"
[ "$replayed" = "$reject_lines" ] || fail "etl replay read $replayed of $reject_lines rejected records"
[ "$mirror_balanced" = true ] || fail "the last run's mirror accounting does not balance"
if [ "$failures" -gt 0 ]; then echo "chaos: $failures check(s) FAILED"; exit 1; fi
echo "chaos: every check passed"
