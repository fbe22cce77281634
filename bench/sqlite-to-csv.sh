#!/usr/bin/env bash
# SQLite -> CSV benchmark: EtlRunner (bench/sqlite-to-csv.yaml) exporting the opted-in contacts (two rows in three, 5
# columns) of a table, through a `sql:` query and through a `table:` source, against
# `sqlite3 -csv -header db "select ..." > out.csv`. Prints both medians, their ratio and EtlRunner's peak RSS.
#   bench/sqlite-to-csv.sh                      # 100,000 and 1,000,000 rows of input, 3 rounds after a warm-up
#   ROWS=10000 ROUNDS=1 bench/sqlite-to-csv.sh  # small (CI); or the row counts as arguments
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)"; exit 2; }
build_etl
state="$data/sqlite-to-csv.etl"
rm -rf "$state"
select="select id, email, name, country, signed_up_at from contacts"

run_sql() { measure "${etl[@]}" run bench/sqlite-to-csv.yaml --operation FromSql --quiet --var "database=$db" --state-dir "$state"; }
run_table() { measure "${etl[@]}" run bench/sqlite-to-csv.yaml --operation FromTable --quiet --var "database=$db" --state-dir "$state"; }
run_sqlite3() { measure sh -c 'sqlite3 -csv -header "$1" "$2" > "$3"' sh "$db" "$select" "$data/sqlite3-out.csv"; }

header "sqlite3 -csv"
for n in $(bench_rows "$@"); do
  db="$data/sqlite-to-csv-$n.db"
  if [ ! -f "$db" ]; then
    csv=$(signups_csv "$n")
    sqlite3 "$db.tmp" ".import --csv $csv signups" \
      "create table contacts (id integer, email text, name text, country text, signed_up_at text)" \
      "insert into contacts select id, lower(email), first_name || ' ' || last_name, upper(country), signed_up_at from signups where opt_in = 'yes'" \
      "drop table signups" "vacuum"
    mv "$db.tmp" "$db"
  fi
  compare "$n rows, sql:" run_sql run_sqlite3
  # Same rows, same order; the CSV quoting of the two may differ, so compare parsed rows.
  python3 - "$data/etl-out.csv" "$data/sqlite3-out.csv" <<'PY'
import csv, sys
a, b = ([row for row in csv.reader(open(p, newline=""))] for p in sys.argv[1:])
if a != b:
    sys.exit(f"etl's output ({len(a)} lines) differs from sqlite3's ({len(b)} lines)")
PY
  compare "$n rows, table:" run_table run_sqlite3
done
