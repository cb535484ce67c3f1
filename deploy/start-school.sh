#!/usr/bin/env bash
# Tries out Socket Lab for a school on one machine: PostgreSQL (its data in FOLDER/postgres),
# two instances on ports 8081 and 8082 with --database, and HAProxy in front on port 8080
# with deploy/haproxy.cfg. Ctrl-C stops all of them; an instance that ends (stop one with
# kill to see failover) leaves the others running. README.md, "Running it for a school".
#
#   deploy/start-school.sh [FOLDER]        (default FOLDER: ./school)
#
# Environment (all optional):
#   SOCKET_LAB_BIND      where HAProxy listens         (default 0.0.0.0:8080)
#   SOCKET_LAB_PG_PORT   PostgreSQL's port, loopback    (default 5433: not a system cluster's 5432)
#   SOCKET_LAB_FIRST_PORT  the first instance's port; the second is the next (default 8081)
#   TEACHER_TOKEN        the token of both instances    (default: made once, kept in FOLDER)
#   SOCKET_LAB_SKIP_BUILD=1  do not build the page first (it was built already)
# Needs Debian's postgresql and haproxy packages (apt-get install postgresql haproxy).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
folder="$(mkdir -p "${1:-./school}" && cd "${1:-./school}" && pwd)"
pg_port="${SOCKET_LAB_PG_PORT:-5433}"
bind="${SOCKET_LAB_BIND:-0.0.0.0:8080}"
first_port="${SOCKET_LAB_FIRST_PORT:-8081}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
haproxy_bin="${SOCKET_LAB_HAPROXY:-/usr/sbin/haproxy}"

if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "start-school: PostgreSQL's server is not installed: apt-get install postgresql" >&2
  exit 1
fi
if [ ! -x "$haproxy_bin" ]; then
  echo "start-school: HAProxy is not installed: apt-get install haproxy" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, it runs as Debian's postgres user.
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi

pgdata="$folder/postgres"
if [ ! -d "$pgdata" ]; then
  echo "Creating the database cluster in $pgdata"
  mkdir -p "$pgdata"
  [ ${#as_pg[@]} -eq 0 ] || chown postgres: "$pgdata"
  chmod 700 "$pgdata"
  # trust on loopback only: fine for trying it out on one machine. For several machines, use
  # a password (scram-sha-256) in pg_hba.conf and put it in --database's URL.
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdata" -U socketlab -A trust -E UTF8 --locale=C --no-instructions > "$folder/initdb.log"
fi

token_file="$folder/teacher-token"
if [ -n "${TEACHER_TOKEN:-}" ]; then
  token="$TEACHER_TOKEN"
elif [ -f "$token_file" ]; then
  token="$(cat "$token_file")"
else
  token="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  (umask 077 && echo "$token" > "$token_file")
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping HAProxy, the instances and PostgreSQL"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -m fast stop > /dev/null 2>&1 || true
}
trap stop EXIT
trap 'stop; exit 130' INT TERM

echo "Starting PostgreSQL on 127.0.0.1:$pg_port"
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pgdata" start > /dev/null
database="postgres://socketlab@127.0.0.1:$pg_port/socketlab"
if ! "${as_pg[@]}" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U socketlab -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'socketlab'" | grep -q 1; then
  "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U socketlab socketlab
fi

cd "$repo"
if [ "${SOCKET_LAB_SKIP_BUILD:-}" != 1 ]; then
  echo "Building the page"
  npm run build --silent
fi

for n in 1 2; do
  port=$((first_port + n - 1))
  echo "Starting instance lab$n on 127.0.0.1:$port (its log: $folder/lab$n.log)"
  node --import tsx server/main.ts --host 127.0.0.1 --port "$port" --instance-name "lab$n" --trust-proxy 127.0.0.1 \
    --database "$database" --data "$folder/lab$n" --teacher-token "$token" > "$folder/lab$n.log" 2>&1 &
  pids+=($!)
done

# HAProxy after the instances answer, so that it does not start by marking them down.
for n in 1 2; do
  for _ in $(seq 1 120); do
    grep -q 'Socket Lab is running' "$folder/lab$n.log" && break
    if ! kill -0 "${pids[$((n - 1))]}" 2>/dev/null; then
      echo "start-school: instance lab$n stopped; its log:" >&2
      cat "$folder/lab$n.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

echo "Starting HAProxy on $bind (its log: $folder/haproxy.log)"
SOCKET_LAB_BIND="$bind" SOCKET_LAB_INSTANCE_1="127.0.0.1:$first_port" SOCKET_LAB_INSTANCE_2="127.0.0.1:$((first_port + 1))" \
  "$haproxy_bin" -db -f "$repo/deploy/haproxy.cfg" > "$folder/haproxy.log" 2>&1 &
pids+=($!)

port="${bind##*:}"
host="${bind%:*}"
[ "$host" != 0.0.0.0 ] && [ -n "$host" ] || host=127.0.0.1
# Ready when HAProxy accepts a connection (bash's /dev/tcp: nothing more to install).
for _ in $(seq 1 100); do
  (exec 3<> "/dev/tcp/$host/$port") 2> /dev/null && break
  if ! kill -0 "${pids[2]}" 2>/dev/null; then
    echo "start-school: HAProxy stopped; its log:" >&2
    cat "$folder/haproxy.log" >&2
    exit 1
  fi
  sleep 0.2
done
echo
echo "Socket Lab for a school: students open http://THIS-COMPUTER:$port/"
echo "The teacher's page: http://127.0.0.1:$port/teacher?token=$token"
echo "Ctrl-C stops everything; the labs are kept in $folder."

# An instance that ends (a crash, or one stopped to try failover: kill PID) leaves the rest
# running, and HAProxy sends its labs to the other. Everything stops on Ctrl-C, or when
# HAProxy or both instances have ended.
haproxy_pid="${pids[2]}"
echo "The processes: lab1 ${pids[0]}, lab2 ${pids[1]}, HAProxy $haproxy_pid"
instances_left=2
while :; do
  ended=""
  wait -n -p ended "${pids[@]}" || true
  [ -n "$ended" ] || break
  if [ "$ended" = "$haproxy_pid" ]; then
    echo "start-school: HAProxy ended (its log: $folder/haproxy.log)" >&2
    break
  fi
  name=lab1
  [ "$ended" = "${pids[1]}" ] && name=lab2
  instances_left=$((instances_left - 1))
  if [ "$instances_left" -eq 0 ]; then
    echo "start-school: instance $name ended, and no instance is left (the logs: $folder)" >&2
    break
  fi
  echo "start-school: instance $name ended (its log: $folder/$name.log); HAProxy sends its labs to the other instance" >&2
  left=()
  for pid in "${pids[@]}"; do [ "$pid" = "$ended" ] || left+=("$pid"); done
  pids=("${left[@]}")
done
