# Sourced by .ci/run: a throwaway PostgreSQL server for the state backend tests (issue 9).
# Installs the Debian package when no server binaries exist, starts a server on 127.0.0.1 on a
# free port in a temp folder, creates a database, exports IMAGECTL_TEST_PG_URL, and stops the
# server and removes the folder on exit. Postgres refuses to run as root, so as root it runs as
# the `postgres` system user (created if missing). Usage: `pg_ci_start` (sets its own EXIT trap).
# A URL already in IMAGECTL_TEST_PG_URL is used as is: nothing is installed or started. With
# CI=true, failing to install or start the server fails the run (the tests would all be skipped).

pg_ci_bindir() {
  # The newest installed major version (ls sorts 15 before 16; sort -V handles 9 vs 10 too).
  local initdb
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] && dirname "$initdb"
}

pg_ci_install() {
  if [ -n "$(pg_ci_bindir)" ]; then return 0; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "postgres: installing the Debian package" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  [ -n "$(pg_ci_bindir)" ]
}

# Runs a command as the server's owner: postgres itself, when we are root.
pg_ci_as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ci_free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

pg_ci_stop() {
  if [ -n "${PG_CI_DIR:-}" ] && [ -d "$PG_CI_DIR" ]; then
    pg_ci_as "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_CI_DIR"
  fi
}

pg_ci_start() {
  if [ -n "${IMAGECTL_TEST_PG_URL:-}" ]; then
    echo "postgres: using IMAGECTL_TEST_PG_URL from the environment" >&2
    return 0
  fi
  if ! pg_ci_install; then
    # In CI a missing server is a failure: otherwise CI passes with every database test skipped.
    if [ "${CI:-}" = true ]; then
      echo "postgres: no server binaries and cannot install them; CI needs them for the database tests" >&2
      return 1
    fi
    echo "postgres: no server binaries and cannot install them; the database tests will be skipped" >&2
    return 0
  fi
  PG_CI_BIN=$(pg_ci_bindir)
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  PG_CI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/imagectl-pg.XXXXXX")
  trap pg_ci_stop EXIT
  local port password
  port=$(pg_ci_free_port)
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$PG_CI_DIR/pw"
  [ "$(id -u)" = 0 ] && chown -R postgres "$PG_CI_DIR"
  # Password auth on loopback, as a real deployment would have, so the tests see a URL with a
  # password in it (and can check that it is never printed).
  pg_ci_as "$PG_CI_BIN/initdb" -D "$PG_CI_DIR/data" -U imagectl --pwfile="$PG_CI_DIR/pw" \
    -A scram-sha-256 -E UTF8 --no-instructions >"$PG_CI_DIR/initdb.log" 2>&1 \
    || { cat "$PG_CI_DIR/initdb.log" >&2; return 1; }
  pg_ci_as "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_CI_DIR -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$PG_CI_DIR/server.log" >&2; return 1; }
  PGPASSWORD=$password "$PG_CI_BIN/createdb" -h 127.0.0.1 -p "$port" -U imagectl imagectl_test
  export IMAGECTL_TEST_PG_URL="postgres://imagectl:${password}@127.0.0.1:${port}/imagectl_test"
  echo "postgres: server $("$PG_CI_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (IMAGECTL_TEST_PG_URL set)" >&2
}
