#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg.sh start [DIR]   installs PostgreSQL from Debian packages if missing,
#                               creates a cluster in DIR (default: a new temporary
#                               folder), starts it on 127.0.0.1 on a free port and
#                               prints "export HITLGATE_TEST_PG_URL=postgresql://..."
#                               (also written to DIR/url and DIR/env)
#   scripts/pg.sh stop DIR      stops it (fast shutdown) and removes DIR
#   scripts/pg.sh url DIR       prints the connection URL
#
# Typical use:  eval "$(scripts/pg.sh start)"; ...; scripts/pg.sh stop "$HITLGATE_TEST_PG_DIR"
#
# initdb and the server refuse to run as root, so as root they run as the
# `postgres` system user (created by the Debian package) through runuser, and
# DIR belongs to that user. The server listens on 127.0.0.1 only, trusts local
# connections (it is private to this machine and deleted afterwards) and keeps
# fsync on, so benchmarks measure real commits.
set -euo pipefail

log() { echo "pg.sh: $*" >&2; }

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return 0; fi
  return 1
}

install_if_missing() {
  if pg_bindir >/dev/null; then return 0; fi
  log "installing postgresql from Debian packages"
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  pg_bindir >/dev/null || { log "postgresql installed, but no initdb found"; exit 1; }
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  install_if_missing
  local bin dir port url i
  bin=$(pg_bindir)
  dir="${1:-$(mktemp -d /tmp/hitlgate-pg.XXXXXX)}"
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { log "no 'postgres' system user to run the cluster as"; exit 1; }
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" --username=hitlgate --auth=trust --encoding=UTF8 \
    --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  for i in $(seq 1 20); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_free "$port" || continue
    # Sockets in DIR: no need for /var/run/postgresql.
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
             -c max_connections=300 -c shared_buffers=128MB -c fsync=on \
             -c synchronous_commit=on" start >&2; then
      break
    fi
    port=""
  done
  [[ -n "$port" ]] || { log "could not start the server"; tail -n 30 "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U hitlgate hitlgate
  url="postgresql://hitlgate@127.0.0.1:$port/hitlgate"
  echo "$url" | as_owner tee "$dir/url" >/dev/null
  printf 'export HITLGATE_TEST_PG_URL=%s\nexport HITLGATE_TEST_PG_DIR=%s\n' "$url" "$dir" |
    as_owner tee "$dir/env" >/dev/null
  log "PostgreSQL running at $url (folder $dir)"
  cat "$dir/env"
}

stop() {
  local dir="${1:?usage: scripts/pg.sh stop DIR}" bin
  [[ -d "$dir" ]] || { log "no cluster folder $dir"; return 0; }
  if bin=$(pg_bindir) && [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || true
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  url) cat "${2:?usage: scripts/pg.sh url DIR}/url" ;;
  *) echo "usage: scripts/pg.sh start [DIR] | stop DIR | url DIR" >&2; exit 2 ;;
esac
