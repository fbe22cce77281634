#!/usr/bin/env bash
# Constant Contact benchmark: the requests the connector makes and the wall time, against the local sandbox with its
# rate limit ON (4 requests/s and 10,000 a day, like the real API), for 10,000 contacts:
#   (a) query them (limit 500 a page), (b) create them in bulk (contacts_json_import), (c) create them one POST each:
#   N are created for real (200: about 50 s at 4/s) and the figures for 10,000 are extrapolated from them.
#   bench/constantcontact.sh            # 10,000 contacts, N = 200
#   CONTACTS=5000 SINGLES=100 bench/constantcontact.sh
# Bulk runs first (it creates the contacts the query then reads). Everything listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
CONTACTS=${CONTACTS:-10000}
SINGLES=${SINGLES:-200}
LIST=1a2b3c4d-0000-4000-8000-00000000c0de
TOKEN=sandbox-access-token
data=bench/.data/cc
for tool in python3 curl jq; do command -v $tool >/dev/null || { echo "needs $tool"; exit 2; }; done

echo "building Release..."
dotnet build src/EtlRunner.Cli -c Release -v q -nologo >/dev/null
etl=(dotnet src/EtlRunner.Cli/bin/Release/net10.0/etl.dll)

rm -rf "$data" && mkdir -p "$data"
awk -v n="$CONTACTS" 'BEGIN { print "email,first_name,last_name,company"
  for (i = 1; i <= n; i++) printf "bulk%05d@example.com,First%d,Last%d,Company %d\n", i, i, i, i % 97 }' >"$data/contacts.csv"
awk -v n="$SINGLES" 'BEGIN { print "email,first_name,last_name,company"
  for (i = 1; i <= n; i++) printf "single%05d@example.com,Single%d,Last%d,Company %d\n", i, i, i, i % 97 }' >"$data/singles.csv"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
# In memory and without --seed, the sandbox starts with its default seed: the Newsletter list, 12 demo contacts.
"${etl[@]}" sandbox constantcontact --port "$port" --rate-limit on >"$data/sandbox.log" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$base/_sandbox/stats" >/dev/null && break; sleep 0.2; done
curl -sf "$base/_sandbox/stats" >/dev/null || { echo "the sandbox did not start:"; cat "$data/sandbox.log"; exit 1; }
if ! curl -sf "$base/v3/contact_lists/$LIST" -H "Authorization: Bearer $TOKEN" >/dev/null; then
  echo "the sandbox has no list $LIST"; exit 1
fi

requests() { curl -sf "$base/_sandbox/stats" | jq .total; }
routes() { curl -sf "$base/_sandbox/stats" | jq -c '.routes | map_values(.statuses)'; }

# phase NAME OPERATION: runs one operation; sets p_requests, p_wall, p_read, p_written, p_rejected, p_routes
phase() {
  local before after_routes before_routes start json
  sleep 1.2 # a fresh one-second window: the pacer of a new process cannot know the requests of the previous one
  before=$(requests)
  before_routes=$(routes)
  start=$(date +%s.%N)
  "${etl[@]}" run bench/constantcontact.yaml --operation "$2" --output json --quiet --state-dir "$data/.etl" \
    --var cc_base_url="$base/v3" --var cc_api_key=bench-client --var cc_access_token="$TOKEN" >"$data/$1.json" 2>"$data/$1.err" \
    || { echo "$2 failed:"; cat "$data/$1.json" "$data/$1.err"; exit 1; }
  p_wall=$(echo "$(date +%s.%N) - $start" | bc)
  p_requests=$(( $(requests) - before ))
  after_routes=$(routes)
  p_routes=$(jq -rn --argjson a "$after_routes" --argjson b "$before_routes" '$a | to_entries
    | map(.key as $route | (.value | to_entries | map({status: .key, n: (.value - ($b[$route][.key] // 0))}) | map(select(.n > 0))) as $s
      | select($s | length > 0)
      | "\($route | sub("/v3"; "")) \($s | map(.n) | add) (\($s | map("\(.status)=\(.n)") | join(" ")))")
    | join(", ")')
  read -r p_read p_written p_rejected p_ms < <(jq -r '.operations[0] | [.read, .written, .rejected, .duration_ms] | @tsv' "$data/$1.json")
}

phase bulk "Create in bulk";  b=("$p_requests" "$p_wall" "$p_read" "$p_written" "$p_rejected" "$p_routes" "$p_ms")
phase query "Query";          q=("$p_requests" "$p_wall" "$p_read" "$p_written" "$p_rejected" "$p_routes" "$p_ms")
phase single "Create singly"; s=("$p_requests" "$p_wall" "$p_read" "$p_written" "$p_rejected" "$p_routes" "$p_ms")
factor=$(echo "scale=4; $CONTACTS / $SINGLES" | bc)
s_req_x=$(printf '%.0f' "$(echo "${s[0]} * $factor" | bc)")
s_wall_x=$(echo "${s[1]} * $factor" | bc)

echo
echo "Constant Contact sandbox at $base, rate limit ON (4 requests/s, 10,000/day), connector requests_per_second 4"
echo "wall = the whole etl process (start-up included); op = the operation's own duration from the run's JSON"
echo
printf '%-34s %9s %9s %10s %9s   %s\n' "task" "contacts" "requests" "wall (s)" "op (s)" "requests by route"
printf '%-34s %9s %9s %10.1f %9.1f   %s\n' "(a) query, limit 500" "${q[2]}" "${q[0]}" "${q[1]}" "$(echo "${q[6]} / 1000" | bc -l)" "${q[5]}"
printf '%-34s %9s %9s %10.1f %9.1f   %s\n' "(b) create in bulk (import)" "${b[3]}" "${b[0]}" "${b[1]}" "$(echo "${b[6]} / 1000" | bc -l)" "${b[5]}"
printf '%-34s %9s %9s %10.1f %9.1f   %s\n' "(c) create singly, measured" "${s[3]}" "${s[0]}" "${s[1]}" "$(echo "${s[6]} / 1000" | bc -l)" "${s[5]}"
printf '%-34s %9s %9s %10.0f %9s   %s\n' "(c) create singly, EXTRAPOLATED" "$CONTACTS" "~$s_req_x" "$s_wall_x" "" "= measured x $(printf '%g' "$factor") (~$(printf '%.0f' "$(echo "$s_wall_x / 60" | bc -l)") min)"
echo
if [ "$s_req_x" -ge 10000 ]; then
  echo "(c) extrapolated: ~$s_req_x requests, the API's whole daily allowance (10,000 a day): 10,000 single creates need at least a day of quota"
fi
echo "query read ${q[2]} contacts (the $CONTACTS created in bulk + the sandbox's demo contacts); rejected: bulk ${b[4]}, query ${q[4]}, single ${s[4]}"
[ "${b[3]}" = "$CONTACTS" ] && [ "${s[3]}" = "$SINGLES" ] && [ "${b[4]}${q[4]}${s[4]}" = "000" ] || { echo "unexpected counts"; exit 1; }
