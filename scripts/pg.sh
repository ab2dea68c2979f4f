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
#   scripts/pg.sh start-pair [DIR]
#                               a primary (DIR/primary) and a synchronous streaming
#                               standby (DIR/standby); prints HITLGATE_TEST_PG_PAIR_URL
#                               (both hosts, target_session_attrs=read-write), the same
#                               as a key=value string (HITLGATE_TEST_PG_PAIR_CONNINFO)
#                               and the folders; `stop DIR` stops both
#   scripts/pg.sh promote DIR   makes the standby in DIR a primary (pg_ctl promote)
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

# Makes DIR (owned by the cluster's owner) and an empty cluster in DIR/data.
init_cluster() {
  local bin=$1 dir=$2
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { log "no 'postgres' system user to run the cluster as"; exit 1; }
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"
  [[ -z "${3:-}" ]] || return 0  # the folder only: pg_basebackup fills DIR/data
  as_owner "$bin/initdb" -D "$dir/data" --username=hitlgate --auth=trust --encoding=UTF8 \
    --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
}

# Starts the server of DIR/data on a free port (extra settings as "-c k=v"
# words) and prints the port.
launch() {
  local bin=$1 dir=$2 extra=${3:-} port i
  for i in $(seq 1 20); do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_free "$port" || continue
    # Sockets in DIR: no need for /var/run/postgresql.
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
             -c max_connections=300 -c shared_buffers=128MB -c fsync=on \
             -c synchronous_commit=on $extra" start >&2; then
      echo "$port"
      return 0
    fi
  done
  log "could not start the server in $dir"; tail -n 30 "$dir/server.log" >&2; exit 1
}

# Writes DIR/url and DIR/env (the KEY=VALUE words after the URL, values
# quoted: a key=value connection string has spaces) and prints the env.
write_env() {
  local dir=$1 url=$2 kv; shift 2
  echo "$url" | as_owner tee "$dir/url" >/dev/null
  for kv in "$@"; do printf "export %s='%s'\n" "${kv%%=*}" "${kv#*=}"; done |
    as_owner tee "$dir/env" >/dev/null
  cat "$dir/env"
}

start() {
  install_if_missing
  local bin dir port url
  bin=$(pg_bindir)
  dir="${1:-$(mktemp -d /tmp/hitlgate-pg.XXXXXX)}"
  init_cluster "$bin" "$dir"
  port=$(launch "$bin" "$dir")
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U hitlgate hitlgate
  url="postgresql://hitlgate@127.0.0.1:$port/hitlgate"
  log "PostgreSQL running at $url (folder $dir)"
  write_env "$dir" "$url" "HITLGATE_TEST_PG_URL=$url" "HITLGATE_TEST_PG_DIR=$dir"
}

# A primary in DIR/primary and a synchronous streaming standby in
# DIR/standby: a commit returns once the standby has flushed it, so after a
# failover nothing a client was told is committed is missing. Only the
# primary's command line names the synchronous standby (not a file that
# pg_basebackup copies), so the standby, once promoted, does not wait for a
# standby of its own.
start_pair() {
  install_if_missing
  local bin dir p1 p2 url conninfo i
  bin=$(pg_bindir)
  dir="${1:-$(mktemp -d /tmp/hitlgate-pgpair.XXXXXX)}"
  init_cluster "$bin" "$dir"
  init_cluster "$bin" "$dir/primary"
  p1=$(launch "$bin" "$dir/primary" "-c synchronous_standby_names=*")
  init_cluster "$bin" "$dir/standby" folder-only
  # -R writes primary_conninfo and standby.signal; -X stream copies the WAL
  # written meanwhile.
  as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$p1" -U hitlgate -D "$dir/standby/data" \
    -R -X stream -c fast >&2
  p2=$(launch "$bin" "$dir/standby")
  for i in $(seq 1 100); do
    [[ $(as_owner "$bin/psql" -h 127.0.0.1 -p "$p1" -U hitlgate -d postgres -Atc \
         "SELECT sync_state FROM pg_stat_replication" 2>/dev/null) == sync ]] && break
    sleep 0.1
  done
  [[ $i -lt 100 ]] || { log "the standby did not become synchronous"; exit 1; }
  # After the standby streams: with a synchronous standby named, a commit waits for one.
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$p1" -U hitlgate hitlgate
  url="postgresql://hitlgate@127.0.0.1:$p1,127.0.0.1:$p2/hitlgate?target_session_attrs=read-write"
  log "PostgreSQL pair running: primary 127.0.0.1:$p1 ($dir/primary), synchronous standby 127.0.0.1:$p2 ($dir/standby)"
  conninfo="host=127.0.0.1,127.0.0.1 port=$p1,$p2 user=hitlgate dbname=hitlgate target_session_attrs=read-write"
  write_env "$dir" "$url" "HITLGATE_TEST_PG_PAIR_URL=$url" "HITLGATE_TEST_PG_PAIR_CONNINFO=$conninfo" \
    "HITLGATE_TEST_PG_PAIR_DIR=$dir" \
    "HITLGATE_TEST_PG_PRIMARY_DIR=$dir/primary" "HITLGATE_TEST_PG_STANDBY_DIR=$dir/standby"
}

# Turns the standby in DIR into a primary and waits until it takes writes.
promote() {
  local dir="${1:?usage: scripts/pg.sh promote DIR}" bin
  bin=$(pg_bindir)
  as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 60 promote >&2
}

stop_server() {
  local dir=$1 bin
  if bin=$(pg_bindir) && [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || true
  fi
}

# A pair's folder holds primary/ and standby/: both are stopped.
stop() {
  local dir="${1:?usage: scripts/pg.sh stop DIR}" sub
  [[ -d "$dir" ]] || { log "no cluster folder $dir"; return 0; }
  for sub in "$dir/standby" "$dir/primary" "$dir"; do
    [[ -d "$sub/data" ]] && stop_server "$sub"
  done
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  start-pair) shift; start_pair "$@" ;;
  promote) shift; promote "$@" ;;
  stop) shift; stop "$@" ;;
  url) cat "${2:?usage: scripts/pg.sh url DIR}/url" ;;
  *) echo "usage: scripts/pg.sh start [DIR] | start-pair [DIR] | promote DIR | stop DIR | url DIR" >&2
     exit 2 ;;
esac
