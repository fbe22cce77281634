#!/usr/bin/env bash
# CSV -> SQLite benchmark: EtlRunner (bench/csv-to-sqlite.yaml: a where that keeps two rows in three and a 5-field map
# with one string.downcase, into a table of those 5 columns) against the sqlite3 shell's own `.import` of the same file
# (no transform, all rows and columns). Prints both medians, their ratio and EtlRunner's peak RSS, then the fixed cost
# of a call of the installed tool (packed and installed into bench/.data/tool, ReadyToRun on linux-x64, as cron and CI
# run it): a 1,000-row run, `etl --version` and `etl validate pipelines examples`, in wall seconds.
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

# The fixed cost of a call of the packaged tool, beside the 1,000-row run above (the state database exists, as it does
# for a cron job).
echo "packing and installing the tool..."
rm -rf "$data/tool" "$data/packages"
dotnet pack src/EtlRunner.Cli -o "$data/packages" -v q -nologo >/dev/null
dotnet tool install --tool-path "$data/tool" --add-source "$data/packages" EtlRunner >/dev/null
etl=("$data/tool/etl")
compare "1000 rows, installed tool" run_etl run_import
fixed() {
  local times=() i out
  for i in $(seq 0 "$ROUNDS"); do
    out=$(measure "$@")
    [ "$i" -eq 0 ] || times+=("${out% *}")
  done
  printf '%-28s %7s s  (%s rounds after a warm-up)\n' "$label" "$(median "${times[@]}")" "$ROUNDS"
}
label="etl --version" fixed "${etl[@]}" --version
label="etl validate (repo)" fixed "${etl[@]}" validate pipelines examples
