# Starts and stops a throwaway PostgreSQL cluster for tests and benchmarks.
# Source it, call start_postgres_cluster (sets POSTGRES_CLUSTER_URL), and arrange for
# stop_postgres_cluster to run on exit.

find_postgres_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

ensure_postgres_installed() {
  POSTGRES_BIN=$(find_postgres_bin) && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL server binaries not found; installing them with apt-get" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    POSTGRES_BIN=$(find_postgres_bin) && return 0
  fi
  echo "error: PostgreSQL server binaries (initdb, pg_ctl) are missing and could not be installed." >&2
  echo "Install PostgreSQL 13 or later (Debian: apt-get install postgresql) and run again." >&2
  exit 1
}

# Runs a command as the cluster's owner: initdb refuses to run as root.
as_cluster_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres_cluster() {
  ensure_postgres_installed
  POSTGRES_CLUSTER_DIR=$(mktemp -d /tmp/agent-scheduler-pg.XXXXXX)
  chmod 755 "$POSTGRES_CLUSTER_DIR"
  [ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$POSTGRES_CLUSTER_DIR"; }
  POSTGRES_CLUSTER_PORT=$(free_port)
  as_cluster_owner "$POSTGRES_BIN/initdb" -D "$POSTGRES_CLUSTER_DIR/data" -U postgres -A trust --no-sync >/dev/null
  export POSTGRES_CLUSTER_DIR POSTGRES_BIN POSTGRES_CLUSTER_PORT
  start_postgres_server
  POSTGRES_CLUSTER_URL="postgres://postgres@127.0.0.1:$POSTGRES_CLUSTER_PORT/postgres?sslmode=disable"
  export POSTGRES_CLUSTER_URL
  echo "PostgreSQL cluster running on 127.0.0.1:$POSTGRES_CLUSTER_PORT ($POSTGRES_CLUSTER_DIR)" >&2
}

# Starts the cluster's server (again, after stop_postgres_server) on the same port.
start_postgres_server() {
  as_cluster_owner "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_CLUSTER_DIR/data" -l "$POSTGRES_CLUSTER_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$POSTGRES_CLUSTER_PORT -c unix_socket_directories=$POSTGRES_CLUSTER_DIR -c max_connections=300 ${POSTGRES_EXTRA_OPTIONS:-}" \
    start >/dev/null
}

# Stops the server, dropping every connection, and keeps the data: a database outage.
stop_postgres_server() {
  as_cluster_owner "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_CLUSTER_DIR/data" -m fast -w stop >/dev/null
}

stop_postgres_cluster() {
  [ -n "${POSTGRES_CLUSTER_DIR:-}" ] || return 0
  as_cluster_owner "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_CLUSTER_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_CLUSTER_DIR"
}
