#!/usr/bin/env bash
# CSV -> SQLite benchmark: EtlRunner (a where and a 5-field map) against the sqlite3 shell's own `.import`
# of the same file, measured in the same run. Prints wall times, their ratio, and EtlRunner's peak memory.
#   bench/csv-to-sqlite.sh                 # 100,000 and 1,000,000 rows
#   bench/csv-to-sqlite.sh 250000          # any row counts
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)"; exit 2; }
rows=("$@")
[ ${#rows[@]} -gt 0 ] || rows=(100000 1000000)
data=bench/.data
mkdir -p "$data"

echo "building Release..."
dotnet build src/EtlRunner.Cli -c Release -v q -nologo >/dev/null
etl=(dotnet src/EtlRunner.Cli/bin/Release/net10.0/etl.dll)

# measure CMD...: prints "<wall seconds> <peak RSS MB>" of the command (and its children).
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if code != 0:
    sys.exit(f"command failed with exit code {code}: {' '.join(sys.argv[1:])}")
print(f"{wall:.2f} {peak:.0f}")
PY
}

printf '%-10s %10s %10s %8s %14s\n' rows "etl (s)" ".import (s)" ratio "etl peak (MB)"
for n in "${rows[@]}"; do
  csv="$data/signups-$n.csv"
  if [ ! -f "$csv" ]; then
    awk -v n="$n" 'BEGIN {
      print "id,email,first_name,last_name,country,opt_in,signed_up_at"
      split("us,gb,fr,de,nl,es,it,ca,au,jp", c, ",")
      for (i = 1; i <= n; i++)
        printf "%d,User%d@Example.com,First%d,Last%d,%s,%s,2026-11-%02dT%02d:%02d:00Z\n", i, i, i, i, c[i % 10 + 1], (i % 10 == 0 ? "no" : "yes"), i % 28 + 1, i % 24, i % 60
    }' > "$csv"
  fi
  rm -f "$data/etl.db" "$data/import.db" && rm -rf bench/.etl "$data/.etl"
  read -r etl_s etl_mb < <(measure "${etl[@]}" run bench/csv-to-sqlite.yaml --quiet --var "input=.data/signups-$n.csv" --state-dir "$data/.etl")
  read -r imp_s _ < <(measure sqlite3 "$data/import.db" ".import --csv $csv contacts")
  written=$(sqlite3 "$data/etl.db" "select count(*) from contacts")
  ratio=$(python3 -c "print(f'{$etl_s / $imp_s:.2f}')")
  printf '%-10s %10s %10s %7sx %14s   (etl wrote %s rows)\n' "$n" "$etl_s" "$imp_s" "$ratio" "$etl_mb" "$written"
done
