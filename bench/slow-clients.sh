#!/usr/bin/env bash
# Slow clients against the conda hot path: p50/p95 of repodata.json and of a package GET while idle, then
# while N connections send refused request bodies at 1 byte per second (anonymous uploads and GETs of a
# missing channel, each connecting again when the server has closed it), then idle again. Starts its own
# server on a fresh data directory; loopback only; stops by itself (bounded by hold-seconds per phase).
#
# Usage: bench/slow-clients.sh [connections] [requests-per-phase] [hold-seconds]
# WHARF_BENCH_SERVER_ARGS: extra server flags (e.g. "--http-threads 50"); WHARF_BENCH_CLIENT_ARGS: extra
# flags for bench/slow_clients.py (e.g. "--retry-pause 1 --nice 0"); WHARF_BENCH_JAR: run that jar instead
# of building this checkout. Exit status 1 if a p95 is more than twice its idle value.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-1000}
requests=${2:-1000}
hold=${3:-60}
port=${WHARF_BENCH_PORT:-18232}
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
. bench/lib.sh
python=/usr/bin/python3

# Each slow client and each server-side connection is a file descriptor.
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((connections * 2 + 512)) ]; then
  ulimit -n $((connections * 2 + 512)) 2>/dev/null \
    || { echo "raise the open-file limit: ulimit -n $((connections * 2 + 512))" >&2; exit 1; }
fi

jar=${WHARF_BENCH_JAR:-} # another build to compare with, used as it is
if [ -z "$jar" ]; then
  jar=wharf-server/target/wharf.jar
  if [ ! -f "$jar" ] || [ -n "$(find wharf-conda/src wharf-server/src pom.xml wharf-conda/pom.xml \
      wharf-server/pom.xml -newer "$jar" -print -quit)" ]; then
    mvn -q -B -pl wharf-server -am package -DskipTests
  fi
fi

work=$(mktemp -d)
# shellcheck disable=SC2086 # the extra flags are meant to split
WHARF_ADMIN_TOKEN=$token java -Xmx1g -jar "$jar" serve --host 127.0.0.1 --port "$port" \
  --data "$work/data" ${WHARF_BENCH_SERVER_ARGS:-} > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
wait_ready "$work/server.log"

auth=(-H "Authorization: Bearer $token")
curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"name":"pub","privacy":"public"}' \
  "$base/api/channels" >/dev/null
package=$($python bench/slow_clients.py package "$work")
curl -fs "${auth[@]}" -T "$package" "$base/api/channels/pub/files/$(basename "$package")" >/dev/null

echo "machine: $(lscpu | awk -F': +' '/^Model name/{print $2}'), $(nproc) CPUs," \
  "$(free -g | awk '/^Mem:/{print $2}') GiB RAM; $(date -u);" \
  "server: java -Xmx1g, ${WHARF_BENCH_SERVER_ARGS:-default settings}"
status=0
# shellcheck disable=SC2086
$python bench/slow_clients.py run --port "$port" --connections "$connections" --requests "$requests" \
  --hold "$hold" ${WHARF_BENCH_CLIENT_ARGS:-} \
  /conda/pub/noarch/repodata.json "/conda/pub/noarch/$(basename "$package")" || status=$?
exit $status
