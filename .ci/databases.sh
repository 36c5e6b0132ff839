#!/usr/bin/env bash
# Makes sure a PostgreSQL and a MariaDB server answer on 127.0.0.1 for the tests.
#   databases.sh start   uses running servers (5432, 3306) or starts throwaway ones (installed
#                        from Debian's packages when missing) on 55432 / 53306 under /tmp;
#                        writes $TMPDIR/hrsync-ci-databases.env with the URLs the tests use
#   databases.sh stop    stops and removes only the throwaway servers it started
set -euo pipefail
STATE="${TMPDIR:-/tmp}/hrsync-ci-databases.env"
DIR=/tmp/hrsync-ci-db

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
# HRSYNC_CI_THROWAWAY=1 starts throwaway servers even where others run (to test this script).
running() { [ "${HRSYNC_CI_THROWAWAY:-0}" != 1 ] && answers "$1"; }

wait_for() {
  for _ in $(seq 1 60); do answers "$1" && return 0; sleep 0.5; done
  echo "nothing answers on 127.0.0.1:$1" >&2
  return 1
}

start_postgres() {
  if running 5432; then echo "HRSYNC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres" >>"$STATE"; return; fi
  BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$BIN" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql) >/dev/null
    BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  mkdir -p "$DIR/pg" && chown postgres: "$DIR/pg"
  runuser -u postgres -- "$BIN/initdb" -D "$DIR/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null
  runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/log" -w \
    -o "-p 55432 -k $DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  echo "$BIN" >"$DIR/pg/bin"
  wait_for 55432
  echo "HRSYNC_TEST_POSTGRES=postgres://postgres@127.0.0.1:55432/postgres" >>"$STATE"
}

start_mariadb() {
  if running 3306; then echo "HRSYNC_TEST_MYSQL=mysql://root@127.0.0.1:3306/" >>"$STATE"; return; fi
  if ! command -v mariadbd >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server) >/dev/null
  fi
  mkdir -p "$DIR/my" && chown mysql: "$DIR/my"
  mariadb-install-db --user=mysql --datadir="$DIR/my/data" --auth-root-authentication-method=normal \
    --skip-test-db >/dev/null
  runuser -u mysql -- mariadbd --no-defaults --datadir="$DIR/my/data" --socket="$DIR/my/sock" \
    --port=53306 --bind-address=127.0.0.1 --pid-file="$DIR/my/pid" --log-error="$DIR/my/log" >/dev/null 2>&1 &
  wait_for 53306
  # root may log in over TCP from 127.0.0.1 without a password (throwaway server only).
  mariadb --no-defaults --socket="$DIR/my/sock" -uroot -e \
    "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION"
  echo "HRSYNC_TEST_MYSQL=mysql://root@127.0.0.1:53306/" >>"$STATE"
}

case "${1:-}" in
  start)
    : >"$STATE"
    start_postgres
    start_mariadb
    cat "$STATE"
    ;;
  stop)
    if [ -f "$DIR/pg/bin" ]; then
      runuser -u postgres -- "$(cat "$DIR/pg/bin")/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null || true
    fi
    if [ -f "$DIR/my/pid" ]; then kill "$(cat "$DIR/my/pid")" 2>/dev/null || true; sleep 1; fi
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
