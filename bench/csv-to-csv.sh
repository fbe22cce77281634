#!/usr/bin/env bash
# CSV -> CSV benchmark: EtlRunner (bench/csv-to-csv.yaml: a where that keeps two rows in three and a 5-field map with
# one string.downcase) against Miller doing the same (`mlr --icsv --ocsv filter ... then put ... then cut ...`).
# Checks that both outputs hold the same rows (quoting aside), then prints both medians, their ratio and EtlRunner's
# peak RSS.
#   bench/csv-to-csv.sh                      # 100,000 and 1,000,000 rows, 3 rounds after a warm-up
#   ROWS=10000 ROUNDS=1 bench/csv-to-csv.sh  # small (CI); or the row counts as arguments
source "$(dirname "$0")/lib.sh"
command -v mlr >/dev/null || { echo "needs Miller (mlr): apt-get install miller (Debian/Ubuntu), brew install miller, or https://miller.readthedocs.io"; exit 2; }
build_etl
state="$data/csv-to-csv.etl"
rm -rf "$state"

run_etl() { measure "${etl[@]}" run bench/csv-to-csv.yaml --quiet --var "input=$csv" --state-dir "$state"; }
run_mlr() {
  measure sh -c 'mlr --icsv --ocsv filter "\$opt_in == \"yes\"" \
    then put "\$email = tolower(\$email); \$name = \$first_name . \" \" . \$last_name; \$country = toupper(\$country)" \
    then cut -o -f id,email,name,country,signed_up_at "$1" > "$2"' sh "$csv" "$data/mlr-out.csv"
}

header "mlr"
for n in $(bench_rows "$@"); do
  csv=$(signups_csv "$n")
  compare "$n rows" run_etl run_mlr
  python3 - "$data/etl-out.csv" "$data/mlr-out.csv" <<'PY'
import csv, sys
a, b = ([row for row in csv.reader(open(p, newline=""))] for p in sys.argv[1:])
if a != b:
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    sys.exit(f"etl's output ({len(a)} lines) differs from Miller's ({len(b)} lines) from line {first + 1}")
PY
done
