#!/usr/bin/env bash
# Every command of an installed etl (the Native AOT build on linux-x64), on real files, the sandbox and, when
# ETL_TEST_POSTGRES is set, a real PostgreSQL: what the compiler could not see (reflection in Spectre.Console.Cli,
# Scriban, Quartz.NET, ASP.NET Core) fails here rather than on a user's machine.
#   .ci/tool-smoke.sh PATH_TO_ETL
# Prints one "ok"/"FAILED" line per check and exits 1 if any failed.
set -uo pipefail
etl=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
failures=0

# check NAME CMD...: runs CMD in $work, its output kept in $work/NAME.log; prints it when CMD fails.
check() {
  local name=$1
  shift
  if (cd "$work" && "$@") >"$work/$name.log" 2>&1; then
    echo "ok      $name"
  else
    echo "FAILED  $name (exit $?):"
    sed 's/^/        /' "$work/$name.log" | tail -n 30
    failures=$((failures + 1))
  fi
}

# expect NAME TEXT: the output of check NAME holds TEXT.
expect() {
  if grep -qF -- "$2" "$work/$1.log"; then
    echo "ok      $1 says '$2'"
  else
    echo "FAILED  $1 does not say '$2':"
    sed 's/^/        /' "$work/$1.log" | tail -n 30
    failures=$((failures + 1))
  fi
}

cp -r "$root/pipelines" "$root/examples" "$work/"
rm -rf "$work/pipelines/.etl" "$work/out"

check version "$etl" --version
check help "$etl" --help
check validate "$etl" validate pipelines examples
check schema "$etl" schema
check plan "$etl" plan pipelines/quickstart.yaml
# The quickstart: CSV, Scriban transforms, the Constant Contact connector against the in-process sandbox (ASP.NET
# Core), SQLite, chaining; then the history and the run's rejects.
check quickstart "$etl" run pipelines/quickstart.yaml --sandbox
expect quickstart "Mirror"
check history "$etl" history pipelines/quickstart.yaml
check report test -s out/contacts-report.csv

# The native executable runs pipelines on its own: no dotnet on PATH, no DOTNET_ROOT. The lines it hands to the JIT
# build in jit/ (agent, status, sandbox, --sandbox, --cluster) then say what they need instead of failing obscurely.
mkdir -p "$work/no-dotnet"
no_dotnet=(env -i HOME="$work" PATH="$work/no-dotnet")
check native-run "${no_dotnet[@]}" "$etl" run examples/sqlite-update-delete/pipeline.yaml
expect native-run "Remove unsubscribes: success"
check native-validate "${no_dotnet[@]}" "$etl" validate pipelines examples
check handover-needs-dotnet sh -c '"$@"; [ $? -eq 2 ]' _ "${no_dotnet[@]}" "$etl" status
expect handover-needs-dotnet "no dotnet was found"

# The Constant Contact sandbox as a server (ASP.NET Core, handed to jit/ by the native executable): it answers on
# 127.0.0.1, and SIGTERM to the process started stops it (the hand-over keeps the process id). Plain bash, no curl.
sandbox_serves() {
  local pid waited=0 port=""
  (cd "$work" && exec "$etl" sandbox constantcontact --port 0) >"$work/sandbox.log" 2>&1 &
  pid=$!
  until port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sandbox.log" 2>/dev/null | head -n 1 | cut -d: -f3) && [ -n "$port" ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ $waited -ge 300 ]; then break; fi
    sleep 0.1
    waited=$((waited + 1))
  done
  if [ -n "$port" ] && exec 3<>"/dev/tcp/127.0.0.1/$port" \
    && printf 'GET /v3/contact_lists HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sandbox-access-token\r\n\r\n' >&3 \
    && timeout 10 cat <&3 >"$work/sandbox-lists.txt" && grep -q '"lists"' "$work/sandbox-lists.txt"; then
    echo "ok      sandbox"
  else
    echo "FAILED  sandbox: no list of lists from port ${port:-(the sandbox never said where it listens)}:"
    sed 's/^/        /' "$work/sandbox.log" "$work/sandbox-lists.txt" 2>/dev/null | tail -n 30
    failures=$((failures + 1))
  fi
  exec 3<&- 3>&-
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if kill -0 "$pid" 2>/dev/null; then
    echo "FAILED  sandbox: still running after SIGTERM to $pid"
    kill -9 "$pid"
    failures=$((failures + 1))
  fi
}
sandbox_serves

# The embedded agent (Quartz.NET's ADO.NET job store on SQLite): a schedule every two seconds, run, then SIGTERM.
mkdir -p "$work/agent"
cat >"$work/agent/export.yaml" <<'YAML'
project: smoke
connections:
  - { name: Contacts, type: csv, path: contacts.csv }
  - { name: Warehouse, type: sqlite, database: warehouse.db }
operations:
  - name: Mirror
    source: { connection: Contacts, activity: query }
    target: { connection: Warehouse, activity: create, table: contacts, create_table: true, key: [email] }
schedules:
  - { name: often, cron: "*/2 * * * * *" }
YAML
printf 'email,name\nana@example.com,Ana\nbo@example.com,Bo\n' >"$work/agent/contacts.csv"

# agent_runs NAME ARGS...: starts etl agent ARGS, waits until its history shows a succeeded run (at most 60 s),
# then stops it with SIGTERM and expects exit 0.
agent_runs() {
  local name=$1 pid waited=0
  shift
  (cd "$work" && exec "$etl" agent agent --name smoke-1 "$@") >"$work/$name.log" 2>&1 &
  pid=$!
  until grep -q "succeeded" "$work/$name.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ $waited -ge 60 ]; then
      echo "FAILED  $name: no run succeeded in ${waited} s:"
      sed 's/^/        /' "$work/$name.log" | tail -n 30
      kill -9 "$pid" 2>/dev/null
      failures=$((failures + 1))
      return
    fi
    sleep 1
    waited=$((waited + 1))
  done
  kill -TERM "$pid"
  if wait "$pid"; then echo "ok      $name"; else
    echo "FAILED  $name: exit $? after SIGTERM"
    failures=$((failures + 1))
  fi
}

agent_runs agent
# Restarted on the same store, whose schedule is unchanged: the stored job must resolve without reflection.
agent_runs agent-restarted
check agent-history "$etl" history agent/export.yaml
expect agent-history "Mirror: success"

# An agent group on PostgreSQL (Quartz's clustered store through Npgsql), with its status page.
if [ -n "${ETL_TEST_POSTGRES:-}" ]; then
  agent_runs agent-cluster --cluster "$ETL_TEST_POSTGRES" --group smoke --status-port 0
  agent_runs agent-cluster-restarted --cluster "$ETL_TEST_POSTGRES" --group smoke --status-port 0
  check status "$etl" status --cluster "$ETL_TEST_POSTGRES" --group smoke
  expect status "often"
  check cluster-history "$etl" history --cluster "$ETL_TEST_POSTGRES"
  expect cluster-history "Mirror: success"
else
  echo "skipped agent-cluster and status: ETL_TEST_POSTGRES is not set"
fi

[ $failures -eq 0 ] || { echo "$failures check(s) of $etl failed"; exit 1; }
echo "every command of $etl works"
