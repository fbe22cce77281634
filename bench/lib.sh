# Helpers the file benchmarks share (sourced by bench/csv-to-sqlite.sh, sqlite-to-csv.sh, csv-to-csv.sh):
# the Release build, the data, and timing EtlRunner against a reference tool in alternating rounds.
# Sizes come from the environment, so CI can run a benchmark small to keep it working (it never asserts a timing):
#   ROWS="100000 1000000"   the row counts (a benchmark's arguments override it)
#   ROUNDS=3                measured rounds per size, after one warm-up round of each
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS=${ROUNDS:-3}
data=bench/.data
mkdir -p "$data"
command -v python3 >/dev/null || { echo "needs python3"; exit 2; }

# bench_rows ARGS...: the row counts to run, from the arguments, else $ROWS, else 100,000 and 1,000,000.
bench_rows() {
  if [ $# -gt 0 ]; then echo "$@"; else echo "${ROWS:-100000 1000000}"; fi
}

# build_etl: packs the CLI as the .NET tool users install (Native AOT on linux-x64), installs it into $data/tool and
# sets etl=($data/tool/etl): once per benchmark run, so every figure is of the tool as cron and CI run it, not of
# `dotnet etl.dll` from a build folder (which starts through the muxer and runs on the JIT).
# REUSE_TOOL=1 keeps the tool an earlier run installed (for repeated runs of the same commit).
build_etl() {
  etl=("$data/tool/etl")
  if [ "${REUSE_TOOL:-}" = 1 ] && [ -x "${etl[0]}" ]; then
    echo "reusing the installed tool in $data/tool"
    return
  fi
  echo "packing and installing the tool (Release, Native AOT: about 3 minutes)..."
  rm -rf "$data/tool" "$data/packages"
  dotnet pack src/EtlRunner.Cli -o "$data/packages" -v q -nologo >/dev/null
  dotnet tool install --tool-path "$data/tool" --add-source "$data/packages" EtlRunner >/dev/null
}

# signups_csv N: prints the path of a CSV of N signups (7 columns, about 80 bytes a row), generated once.
# Two rows in three are opted in (opt_in=yes); emails and names are mixed case, countries lower case.
signups_csv() {
  local csv="$data/signups-v2-$1.csv"
  if [ ! -f "$csv" ]; then
    awk -v n="$1" 'BEGIN {
      print "id,email,first_name,last_name,country,opt_in,signed_up_at"
      split("us,gb,fr,de,nl,es,it,ca,au,jp", c, ",")
      for (i = 1; i <= n; i++)
        printf "%d,User%d@Example.com,First%d,Last%d,%s,%s,2026-11-%02dT%02d:%02d:00Z\n", i, i, i, i, c[i % 10 + 1], (i % 3 == 0 ? "no" : "yes"), i % 28 + 1, i % 24, i % 60
    }' >"$csv.tmp" && mv "$csv.tmp" "$csv"
  fi
  echo "$csv"
}

# measure CMD...: runs CMD (stdout and stderr to /dev/null); prints "<wall seconds> <peak RSS MB>"; fails with CMD.
# The peak is the largest resident set of the command and its children (getrusage), as /usr/bin/time -v reports it.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if code != 0:
    sys.exit(f"command failed with exit code {code}: {' '.join(sys.argv[1:])}")
print(f"{wall:.3f} {peak:.0f}")
PY
}

# median VALUES...: the median of the numbers.
median() {
  python3 -c 'import statistics, sys; print(f"{statistics.median(map(float, sys.argv[1:])):.3f}")' "$@"
}

# compare LABEL ETL_FUNC REF_FUNC: one warm-up round of each, then $ROUNDS rounds alternating the two (EtlRunner
# first on odd rounds, the reference first on even ones). ETL_FUNC and REF_FUNC each remove their previous output and
# run one command through `measure`; their outputs of the last round stay for checking. Prints one line:
# label, both medians (min-max), the ratio of the medians and EtlRunner's largest peak RSS.
compare() {
  local label=$1 etl_func=$2 ref_func=$3 round side out s mb etl_times=() ref_times=() etl_peak=0
  out=$($etl_func)
  out=$($ref_func)
  for round in $(seq "$ROUNDS"); do
    for side in $( ((round % 2)) && echo "etl ref" || echo "ref etl"); do
      if [ "$side" = etl ]; then
        out=$($etl_func)
        read -r s mb <<<"$out"
        etl_times+=("$s")
        [ "$mb" -gt "$etl_peak" ] && etl_peak=$mb
      else
        out=$($ref_func)
        read -r s _ <<<"$out"
        ref_times+=("$s")
      fi
    done
  done
  python3 - "$label" "$etl_peak" "${etl_times[*]}" "${ref_times[*]}" <<'PY'
import statistics, sys
label, peak, etl, ref = sys.argv[1], sys.argv[2], [float(x) for x in sys.argv[3].split()], [float(x) for x in sys.argv[4].split()]
e, r = statistics.median(etl), statistics.median(ref)
print(f"{label:<28} {e:7.3f} s ({min(etl):.3f}-{max(etl):.3f})  {r:7.3f} s ({min(ref):.3f}-{max(ref):.3f})  {e / r:6.2f}x  {peak:>6} MB")
PY
}

# header REF_NAME: the column titles of compare's lines.
header() {
  printf '%-28s %-27s %-27s %7s  %9s   (%s rounds after a warm-up; medians, min-max)\n' case "etl" "$1" ratio "etl peak" "$ROUNDS"
}
