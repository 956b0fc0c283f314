#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the unit tests (the db test's
# PostgreSQL checks read FANTACO_TEST_PG_URL), from Debian's binaries like
# tests/integration/pg_cluster.py's PostgresServer: trust auth on 127.0.0.1 and
# a free port, run as the postgres user when we are root.
#
#   url=$(scripts/test-postgres.sh start DIR)   # DIR: a new, empty directory
#   scripts/test-postgres.sh stop DIR           # stops the cluster, removes DIR
set -euo pipefail

die() { printf 'test-postgres.sh: %s\n' "$*" >&2; exit 1; }

bin_dir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
    echo "$d"
}

# Runs a PostgreSQL binary as the postgres user when we are root (it refuses root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- env LC_ALL=C.UTF-8 "$@"
    else
        env LC_ALL=C.UTF-8 "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1 bin port
    bin=$(bin_dir)
    [ -d "$dir" ] || die "$dir: no such directory"
    mkdir -p "$dir/sock"
    [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$dir"
    chmod 700 "$dir"
    as_pg "$bin/initdb" -D "$dir/data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 -U postgres \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    port=$(free_port)
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 -o \
        "-p $port -c listen_addresses=127.0.0.1 -k $dir/sock -c fsync=off -c synchronous_commit=off" \
        start >/dev/null || { cat "$dir/postgres.log" >&2; die "pg_ctl start failed"; }
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
    local dir=$1
    if [ -d "$dir/data" ]; then
        as_pg "$(bin_dir)/pg_ctl" -D "$dir/data" -w -t 60 -m fast stop >/dev/null ||
            as_pg "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
    fi
    rm -rf "$dir"
}

case "${1:-} ${2:+dir}" in
"start dir") start "$2" ;;
"stop dir") stop "$2" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
