#!/usr/bin/env bash
# Wharf next to Debian's nginx serving the same bytes as static files, measured with wrk in one run:
# repodata.json.zst of a 10,000-record subdir, a 304 revalidation of it, and a 50 MB package file.
# Prints requests/s and p50/p99 for both and Wharf's ratio to nginx.
#
# Usage: bench/nginx-compare.sh [seconds-per-run] [connections]
# Needs wrk and nginx (apt-get install wrk nginx-light); reads the fixtures in fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-16}
port=${WHARF_BENCH_PORT:-18251}
nport=$((port + 1))
fixtures=${WHARF_FIXTURES:-fixtures}
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is needed (apt-get install nginx-light)" >&2; exit 1; }

classpath_file="$PWD/wharf-server/target/bench.classpath"
mvn -q -B -pl wharf-server -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
cp="wharf-server/target/test-classes:wharf-server/target/classes:$(cat "$classpath_file")"

work=$(mktemp -d)
server=""; nginx_pid=""
trap '[ -n "$server" ] && kill $server; [ -n "$nginx_pid" ] && kill $nginx_pid; wait 2>/dev/null; rm -rf "$work"' EXIT

java -cp "$cp" io.wharf.server.bench.SubdirFiller "$work/data/wharf.db" bench 10000 "$fixtures/real/large/index4.json"
WHARF_ADMIN_TOKEN=$token java -Xmx512m -jar wharf-server/target/wharf.jar serve --port "$port" \
  --data "$work/data" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do curl -fs "$base/health/ready" >/dev/null && break; sleep 0.5; done

# a 50 MB package: random (incompressible) payload after info/
mkdir -p "$work/pkg/info"
printf '{"name":"big","version":"1.0","build":"0","build_number":0,"subdir":"linux-64","depends":[]}' \
  > "$work/pkg/info/index.json"
printf '{"paths":[],"paths_version":1}' > "$work/pkg/info/paths.json"
head -c $((50 * 1024 * 1024)) /dev/urandom > "$work/pkg/payload.bin"
tar -cjf "$work/big-1.0-0.tar.bz2" -C "$work/pkg" info payload.bin
curl -fs -H "Authorization: Bearer $token" -T "$work/big-1.0-0.tar.bz2" \
  "$base/api/channels/bench/files/big-1.0-0.tar.bz2" > /dev/null

# nginx serves the very bytes Wharf serves
root="$work/nginx/conda/bench/linux-64"
mkdir -p "$root" "$work/nginx/tmp"
curl -fs -o "$root/repodata.json.zst" "$base/conda/bench/linux-64/repodata.json.zst"
cp "$work/big-1.0-0.tar.bz2" "$root/"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
user root;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:$nport; root $work/nginx; }
}
CONF
/usr/sbin/nginx -c "$work/nginx.conf" &
nginx_pid=$!
sleep 1
# both must serve the same bytes, or the comparison means nothing
for f in repodata.json.zst big-1.0-0.tar.bz2; do
  cmp <(curl -fs "$base/conda/bench/linux-64/$f") <(curl -fs "http://127.0.0.1:$nport/conda/bench/linux-64/$f") \
    || { echo "Wharf and nginx serve different bytes for $f" >&2; exit 1; }
done

etag_of() { curl -sI "$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'; }
run() { # url [header] -> "req/s p50 p99"
  local out
  if [ -n "${2:-}" ]; then out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "$2" "$1"); else
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$1"); fi
  echo "$(echo "$out" | awk '/Requests\/sec/{print $2}') $(echo "$out" | awk '$1=="50%"{print $2}') $(echo "$out" | awk '$1=="99%"{print $2}')"
}
echo "machine: $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}'), $(nproc) CPUs shared by wrk and" \
  "the server; $(date -u +%F); wrk -t2 -c$connections -d${duration}s"
echo
echo "| request | Wharf req/s | p50 | p99 | nginx req/s | p50 | p99 | Wharf / nginx |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for what in zst 304 package; do
  case $what in
    zst) w="$base/conda/bench/linux-64/repodata.json.zst"; n="http://127.0.0.1:$nport/conda/bench/linux-64/repodata.json.zst"; wh=""; nh="";;
    304) w="$base/conda/bench/linux-64/repodata.json.zst"; n="http://127.0.0.1:$nport/conda/bench/linux-64/repodata.json.zst"
         wh="If-None-Match: $(etag_of "$w")"; nh="If-None-Match: $(etag_of "$n")";;
    package) w="$base/conda/bench/linux-64/big-1.0-0.tar.bz2"; n="http://127.0.0.1:$nport/conda/bench/linux-64/big-1.0-0.tar.bz2"; wh=""; nh="";;
  esac
  read -r wr wp50 wp99 <<< "$(run "$w" "$wh")"
  read -r nr np50 np99 <<< "$(run "$n" "$nh")"
  ratio=$(echo "scale=0; 100 * $wr / $nr" | bc)
  echo "| $what | $wr | $wp50 | $wp99 | $nr | $np50 | $np99 | ${ratio} % |"
done
