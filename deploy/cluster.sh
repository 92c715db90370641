#!/usr/bin/env bash
# A LiveHub cluster on this machine in one command: redis-server, a throwaway PostgreSQL, three LiveHub nodes and nginx in
# front of them, all listening on 127.0.0.1 only. Everything lives in the run folder (default ./.cluster at the top of the
# checkout): pid files, logs, node folders, the published build, nginx's configuration.
#
#   deploy/cluster.sh up        start everything, wait until it answers, print the URLs and the moderator passcode
#   deploy/cluster.sh status    what runs, and whether each node and nginx answer /health/ready
#   deploy/cluster.sh down      stop everything (nodes with SIGTERM, so they stop gracefully) and remove the run folder
#
# Ports (change them with environment variables if one is taken):
#   LIVEHUB_CLUSTER_PORT=8080   nginx, the address people use
#   LIVEHUB_NODE_PORT=5001      node 1; nodes 2 and 3 take the next two ports
#   LIVEHUB_REDIS_PORT=6390     redis-server
#   LIVEHUB_POSTGRES_PORT=5440  PostgreSQL
#   LIVEHUB_CLUSTER_DIR         the run folder
# Nothing is installed: on Debian, `apt-get install redis-server postgresql nginx curl` and the .NET 10 SDK.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN=${LIVEHUB_CLUSTER_DIR:-$ROOT/.cluster}
NGINX_PORT=${LIVEHUB_CLUSTER_PORT:-8080}
NODE_PORT=${LIVEHUB_NODE_PORT:-5001}
NODE_PORTS=("$NODE_PORT" "$((NODE_PORT + 1))" "$((NODE_PORT + 2))")
REDIS_PORT=${LIVEHUB_REDIS_PORT:-6390}
PG_PORT=${LIVEHUB_POSTGRES_PORT:-5440}

say() { printf '%s\n' "$*"; }
fail() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

pg_bin() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && { printf '%s\n' "$bin"; return 0; }
  done
  return 1
}

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

check_commands() {
  local missing=() packages=()
  command -v dotnet >/dev/null || missing+=("dotnet (the .NET 10 SDK)")
  command -v curl >/dev/null || { missing+=(curl); packages+=(curl); }
  command -v redis-server >/dev/null || { missing+=(redis-server); packages+=(redis-server); }
  command -v nginx >/dev/null || { missing+=(nginx); packages+=(nginx); }
  pg_bin >/dev/null || { missing+=("PostgreSQL (initdb, pg_ctl)"); packages+=(postgresql); }
  if [ "$(id -u)" -eq 0 ]; then
    command -v runuser >/dev/null || missing+=(runuser)
    id postgres >/dev/null 2>&1 || missing+=("the postgres user")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "missing: ${missing[*]}" >&2
    [ ${#packages[@]} -gt 0 ] && say "on Debian: apt-get install ${packages[*]}" >&2
    exit 1
  fi
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 what=$2 i
  for i in $(seq 1 100); do
    port_taken "$port" && return 0
    sleep 0.1
  done
  fail "$what did not open port $port"
}

# Waits for a node's readiness; a node that exits early shows the end of its log.
wait_ready() {
  local name=$1 port=$2 pid i
  pid=$(cat "$RUN/pids/$name.pid")
  for i in $(seq 1 240); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$RUN/logs/$name.log" >&2 || true
      fail "$name exited; its log is $RUN/logs/$name.log"
    fi
    sleep 0.25
  done
  fail "$name was not ready on port $port within 60 s; see $RUN/logs/$name.log"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Sends a signal and waits for the process to go; SIGKILL after the timeout.
stop_pid() {
  local file=$1 signal=$2 timeout=$3 pid i
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid" 2>/dev/null || true
    for i in $(seq 1 $((timeout * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "  $(basename "$file" .pid) did not stop within $timeout s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

random_text() { tr -dc "$1" </dev/urandom | head -c "$2" || true; }

up() {
  check_commands
  if [ -d "$RUN/pids" ]; then
    fail "a cluster already runs from $RUN (deploy/cluster.sh status); stop it first with deploy/cluster.sh down"
  fi
  local port
  for port in "$NGINX_PORT" "${NODE_PORTS[@]}" "$REDIS_PORT" "$PG_PORT"; do
    port_taken "$port" && fail "port $port on 127.0.0.1 is taken; choose others (see the top of $0)"
  done

  mkdir -p "$RUN"/{pids,logs,nodes,nginx/tmp,redis}
  # Whatever goes wrong from here on (or Ctrl-C), stop what was started.
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then say "cluster: start failed; stopping what was started" >&2; down >/dev/null 2>&1 || true; fi' EXIT
  trap 'exit 130' INT TERM

  local passcode admin_key redis postgres
  passcode=$(random_text 'ABCDEFGHJKMNPQRSTUVWXYZ23456789' 8)
  admin_key=$(random_text 'A-Za-z0-9' 32)
  redis="127.0.0.1:$REDIS_PORT"
  postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=livehub"
  printf 'passcode=%s\nadmin_key=%s\nnginx_port=%s\nnode_ports="%s"\nredis_port=%s\npg_port=%s\n' \
    "$passcode" "$admin_key" "$NGINX_PORT" "${NODE_PORTS[*]}" "$REDIS_PORT" "$PG_PORT" >"$RUN/cluster.env"
  chmod 600 "$RUN/cluster.env"

  say "redis-server on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$RUN/redis" \
    >"$RUN/logs/redis.log" 2>&1 &
  echo $! >"$RUN/pids/redis.pid"
  wait_port "$REDIS_PORT" redis-server

  say "PostgreSQL on 127.0.0.1:$PG_PORT"
  local bin pgdata
  bin=$(pg_bin)
  if [ "$(id -u)" -eq 0 ]; then
    # The postgres user must own its data folder and reach it, so it lives under /tmp, not in the checkout.
    pgdata=$(mktemp -d /tmp/livehub-cluster-pg.XXXXXX)
    chown postgres:postgres "$pgdata"
  else
    pgdata="$RUN/postgres"
    mkdir -p "$pgdata"
  fi
  echo "$pgdata" >"$RUN/postgres.dir"
  as_postgres "$bin/initdb" -D "$pgdata" -A trust -U postgres --no-sync >"$RUN/logs/initdb.log" 2>&1
  as_postgres "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" start >"$RUN/logs/pg_ctl.log" 2>&1
  head -n 1 "$pgdata/postmaster.pid" >"$RUN/pids/postgres.pid"
  ln -sf "$pgdata/server.log" "$RUN/logs/postgres.log"

  say "publishing LiveHub (Release) to $RUN/publish"
  dotnet publish "$ROOT/src/Web" -c Release -o "$RUN/publish" --nologo >"$RUN/logs/publish.log" 2>&1 \
    || { tail -n 20 "$RUN/logs/publish.log" >&2; fail "dotnet publish failed; see $RUN/logs/publish.log"; }

  # Node 1 starts alone and loads the demo into the empty database; nodes 2 and 3 start once it is ready and find it there.
  local i
  for i in 1 2 3; do
    local name="node-$i" node_port=${NODE_PORTS[$((i - 1))]}
    mkdir -p "$RUN/nodes/$name"
    say "$name on 127.0.0.1:$node_port"
    (cd "$RUN/nodes/$name" && exec dotnet "$RUN/publish/LiveHub.Web.dll" \
      --contentRoot "$RUN/publish" \
      --urls "http://127.0.0.1:$node_port" \
      --ConnectionStrings:Postgres="$postgres" \
      --ConnectionStrings:Redis="$redis" \
      --LiveHub:Store:DataDirectory="$RUN/nodes/$name" \
      --LiveHub:ScaleOut:NodeId="$name" \
      --LiveHub:Web:PublicUrl="http://127.0.0.1:$NGINX_PORT" \
      --LiveHub:Web:TrustedProxies:0=127.0.0.1 \
      --LiveHub:Demo:ModeratorPasscode="$passcode" \
      --LiveHub:Admin:Key="$admin_key" \
      >"$RUN/logs/$name.log" 2>&1) &
    echo $! >"$RUN/pids/$name.pid"
    if [ "$i" -eq 1 ]; then wait_ready "$name" "$node_port"; fi
  done
  wait_ready node-2 "${NODE_PORTS[1]}"
  wait_ready node-3 "${NODE_PORTS[2]}"

  say "nginx on 127.0.0.1:$NGINX_PORT"
  write_nginx_conf
  nginx -t -q -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx" -e "$RUN/logs/nginx-error.log"
  nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx" -e "$RUN/logs/nginx-error.log" >>"$RUN/logs/nginx-error.log" 2>&1 &
  echo $! >"$RUN/pids/nginx.pid"
  wait_port "$NGINX_PORT" nginx
  curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/health/ready" || fail "nginx does not reach the nodes; see $RUN/logs/"
  trap - EXIT INT TERM

  local base="http://127.0.0.1:$NGINX_PORT"
  cat <<EOF

LiveHub cluster is up: nginx in front of three nodes, one PostgreSQL, one Redis.
  Audience:   $base/e/KUPANG
  Moderator:  $base/e/KUPANG/moderator
  Projector:  $base/e/KUPANG/projector
  Admin:      $base/admin
  Moderator passcode: $passcode
  Admin key:          $admin_key
  Nodes:      http://127.0.0.1:${NODE_PORTS[0]}  http://127.0.0.1:${NODE_PORTS[1]}  http://127.0.0.1:${NODE_PORTS[2]}
  Redis:      127.0.0.1:$REDIS_PORT    PostgreSQL: $postgres
  Logs:       $RUN/logs/
Stop it with: deploy/cluster.sh down
EOF
}

# nginx runs with the repository's site file, its addresses rewritten, inside a main file whose paths all point into
# the run folder, so it needs no root and touches nothing in /etc or /var.
write_nginx_conf() {
  sed -e "s|listen 127.0.0.1:8080;|listen 127.0.0.1:$NGINX_PORT;|" \
      -e "s|127.0.0.1:5001 |127.0.0.1:${NODE_PORTS[0]} |" \
      -e "s|127.0.0.1:5002 |127.0.0.1:${NODE_PORTS[1]} |" \
      -e "s|127.0.0.1:5003 |127.0.0.1:${NODE_PORTS[2]} |" \
      -e "s|/var/log/nginx/|$RUN/logs/|g" \
      "$ROOT/deploy/nginx/livehub.conf" >"$RUN/nginx/livehub.conf"
  cat >"$RUN/nginx/nginx.conf" <<EOF
# Generated by deploy/cluster.sh: the main file around deploy/nginx/livehub.conf.
daemon off;
worker_processes 1;
pid $RUN/nginx/nginx.pid;
error_log $RUN/logs/nginx-error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log $RUN/logs/nginx-access.log;
    client_body_temp_path $RUN/nginx/tmp/body;
    proxy_temp_path $RUN/nginx/tmp/proxy;
    fastcgi_temp_path $RUN/nginx/tmp/fastcgi;
    uwsgi_temp_path $RUN/nginx/tmp/uwsgi;
    scgi_temp_path $RUN/nginx/tmp/scgi;
    include $RUN/nginx/livehub.conf;
}
EOF
}

down() {
  [ -d "$RUN" ] || { say "no cluster in $RUN"; return 0; }
  say "stopping nginx"
  stop_pid "$RUN/pids/nginx.pid" QUIT 10
  local i stoppers=()
  for i in 1 2 3; do
    if alive "$RUN/pids/node-$i.pid"; then say "stopping node-$i (SIGTERM: drain, finish calls, close connections)"; fi
    stop_pid "$RUN/pids/node-$i.pid" TERM 30 &
    stoppers+=($!)
  done
  wait "${stoppers[@]}"
  say "stopping redis-server"
  stop_pid "$RUN/pids/redis.pid" TERM 10
  if [ -f "$RUN/postgres.dir" ]; then
    local pgdata bin
    pgdata=$(cat "$RUN/postgres.dir")
    if [ -f "$pgdata/postmaster.pid" ] && bin=$(pg_bin); then
      say "stopping PostgreSQL"
      as_postgres "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || true
    fi
    rm -f "$RUN/pids/postgres.pid"
    case "$pgdata" in
      /tmp/livehub-cluster-pg.*) rm -rf "$pgdata" ;;
    esac
  fi
  rm -rf "$RUN"
  say "stopped; removed $RUN"
}

status() {
  [ -d "$RUN/pids" ] || { say "no cluster in $RUN"; return 1; }
  # shellcheck disable=SC1091
  . "$RUN/cluster.env"
  local name pid state ports=($node_ports) health
  for name in redis postgres node-1 node-2 node-3 nginx; do
    if alive "$RUN/pids/$name.pid"; then pid=$(cat "$RUN/pids/$name.pid"); state="running (pid $pid)"; else state="not running"; fi
    health=""
    case "$name" in
      node-*) health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${ports[$((${name#node-} - 1))]}/health/ready" || true) ;;
      nginx) health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nginx_port/health/ready" || true) ;;
    esac
    printf '  %-9s %-24s %s\n' "$name" "$state" "${health:+/health/ready $health}"
  done
  say "  audience: http://127.0.0.1:$nginx_port/e/KUPANG   moderator passcode: $passcode"
  say "  logs: $RUN/logs/"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) say "usage: $0 up|down|status" >&2; exit 2 ;;
esac
