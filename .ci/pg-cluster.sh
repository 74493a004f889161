#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for the store contract tests.
#   .ci/pg-cluster.sh start DIR   installs Debian's postgresql if missing, creates a cluster in DIR listening on
#                                 127.0.0.1 on a free port, and prints its JDBC URL (for LOUPE_TEST_PG) on stdout
#   .ci/pg-cluster.sh stop DIR    stops it (DIR can then be removed)
# Runs the server as the 'postgres' user when started as root (initdb refuses root).
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    bin=$(pg_bin)
    if [ -z "$bin" ]; then
      echo "installing postgresql (Debian package)" >&2
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      bin=$(pg_bin)
    fi
    [ -n "$bin" ] || { echo "no PostgreSQL server binaries found under /usr/lib/postgresql" >&2; exit 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    port=""
    for _ in $(seq 1 50); do
      p=$(( 20000 + RANDOM % 40000 ))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
    done
    [ -n "$port" ] || { echo "no free port found" >&2; exit 1; }
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres loupe_test
    echo "jdbc:postgresql://127.0.0.1:$port/loupe_test?user=postgres"
    ;;
  stop)
    bin=$(pg_bin)
    if [ -d "$dir/data" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true; fi
    ;;
  *) echo "usage: pg-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
