#!/usr/bin/env bash
# CSV -> SQLite benchmark: EtlRunner (bench/csv-to-sqlite.yaml: a where that keeps two rows in three and a 5-field map
# with one string.downcase, into a table of those 5 columns) against the sqlite3 shell's own `.import` of the same file
# (no transform, all rows and columns), with the tool packed and installed into bench/.data/tool (Native AOT on
# linux-x64, as cron and CI run it). Prints both medians, their ratio and EtlRunner's peak RSS at each size and at 1,000
# rows (the fixed cost of a run), then the fixed cost of `etl --version` and `etl validate pipelines examples`, in wall
# seconds, with their peak RSS.
#   bench/csv-to-sqlite.sh                      # 100,000 and 1,000,000 rows, 3 rounds after a warm-up
#   ROWS=10000 ROUNDS=1 bench/csv-to-sqlite.sh  # small (CI); or the row counts as arguments
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)"; exit 2; }
build_etl
state="$data/csv-to-sqlite.etl"
rm -rf "$state"

run_etl() { rm -f "$data/etl.db"; measure "${etl[@]}" run bench/csv-to-sqlite.yaml --quiet --var "input=$csv" --state-dir "$state"; }
run_import() { rm -f "$data/import.db"; measure sqlite3 "$data/import.db" ".import --csv $csv contacts"; }

header ".import"
for n in $(bench_rows "$@") 1000; do
  csv=$(signups_csv "$n")
  compare "$n rows" run_etl run_import
  written=$(sqlite3 "$data/etl.db" "select count(*) from contacts")
  expected=$(awk -F, 'NR > 1 && $6 == "yes"' "$csv" | wc -l)
  [ "$written" -eq "$expected" ] || { echo "etl wrote $written rows, expected $expected"; exit 1; }
done

# The fixed cost of a call of the installed tool, beside the 1,000-row run above (the state database exists, as it
# does for a cron job).
fixed() {
  local times=() i out peak=0
  for i in $(seq 0 "$ROUNDS"); do
    out=$(measure "$@")
    [ "$i" -eq 0 ] && continue
    times+=("${out% *}")
    [ "${out#* }" -gt "$peak" ] && peak=${out#* }
  done
  python3 - "$label" "$peak" "$ROUNDS" "${times[@]}" <<'PY'
import statistics, sys
label, peak, rounds, times = sys.argv[1], sys.argv[2], sys.argv[3], [float(x) for x in sys.argv[4:]]
print(f"{label:<28} {statistics.median(times):7.3f} s ({min(times):.3f}-{max(times):.3f})  {peak:>6} MB  ({rounds} rounds after a warm-up)")
PY
}
label="etl --version" fixed "${etl[@]}" --version
label="etl validate (repo)" fixed "${etl[@]}" validate pipelines examples
