# PostgreSQL for the tests: a throw-away cluster on 127.0.0.1, on a free port, trusted local logins, gone when stopped.
# Sourced by .ci/run; on a developer machine: `source .ci/postgres.sh && postgres_start`, then `postgres_stop`.
# postgres_start exports ETL_TEST_POSTGRES (an Npgsql connection string) for the tests; when PostgreSQL cannot be
# installed or started it says so and exports nothing, and the tests that need it are skipped with that reason.

postgres_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

postgres_start() {
  local bin
  bin=$(postgres_bin)
  if [ -z "$bin" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "== installing PostgreSQL (apt-get install -y postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null 2>&1; }
    bin=$(postgres_bin)
  fi
  if [ -z "$bin" ]; then
    echo "== PostgreSQL is not installed (apt-get install -y postgresql): the tests that need it are skipped"
    return 0
  fi

  local port=54329
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  POSTGRES_DIR=$(mktemp -d /tmp/etl-postgres.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$POSTGRES_DIR" # initdb refuses to run as root
    as=(runuser -u postgres --)
  fi
  if "${as[@]}" "$bin/initdb" -D "$POSTGRES_DIR/data" -A trust -U postgres >"$POSTGRES_DIR/initdb.log" 2>&1 &&
    "${as[@]}" "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w -t 30 \
      -o "-p $port -k $POSTGRES_DIR -c listen_addresses=127.0.0.1" start >/dev/null; then
    export ETL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (ETL_TEST_POSTGRES)"
  else
    echo "== PostgreSQL did not start: the tests that need it are skipped"
    cat "$POSTGRES_DIR/initdb.log" "$POSTGRES_DIR/server.log" 2>/dev/null | tail -n 20
  fi
}

postgres_stop() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$POSTGRES_DIR"
  unset POSTGRES_DIR ETL_TEST_POSTGRES
}
