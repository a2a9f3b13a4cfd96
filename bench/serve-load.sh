#!/usr/bin/env bash
# HTTP load on the conda hot path, measured with wrk from a second process on loopback: repodata
# (identity, gzip, zstd, 304 revalidation), the shard index, a package file whole and by range, a private
# channel through /t/<token>/, and a catalog search (which does touch the database) for contrast.
#
# Usage: bench/serve-load.sh [names] [versions-per-name] [seconds-per-run] [connections]
# Needs wrk (Debian package "wrk"); reads the repository's fixtures/ (or WHARF_FIXTURES).
set -euo pipefail
cd "$(dirname "$0")/.."
names=${1:-1000}
versions=${2:-5}
duration=${3:-15}
connections=${4:-16}
port=${WHARF_BENCH_PORT:-18231}
fixtures=${WHARF_FIXTURES:-fixtures}
zlib="$fixtures/real/packages/zlib-1.2.11-h7b6447c_3.conda"
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
. bench/lib.sh

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
[ -f "$zlib" ] || { echo "fixture not found: $zlib" >&2; exit 1; }

classpath_file="$PWD/wharf-server/target/serve-load.classpath"
mvn -q -B -pl wharf-server -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test

work=$(mktemp -d)
WHARF_ADMIN_TOKEN=$token java -Xmx1g -jar wharf-server/target/wharf.jar serve --port "$port" \
  --data "$work/data" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
wait_ready "$work/server.log"

auth=(-H "Authorization: Bearer $token")
curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"name":"bench","privacy":"public"}' \
  "$base/api/channels" >/dev/null
curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"name":"bench-private","privacy":"private"}' \
  "$base/api/channels" >/dev/null
java -cp "wharf-server/target/test-classes:wharf-server/target/classes:$(cat "$classpath_file")" \
  io.wharf.server.web.ServeLoadFiller "$base" "$token" bench "$names" "$versions" "$work/packages"
for channel in bench bench-private; do
  curl -fs "${auth[@]}" -T "$zlib" "$base/api/channels/$channel/files/$(basename "$zlib")" >/dev/null
done

repodata="$base/conda/bench/linux-64/repodata.json"
curl -fs -o "$work/repodata.json" "$repodata"
etag=$(curl -fsI "$repodata" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
echo
echo "repodata.json: $(wc -c < "$work/repodata.json") bytes," \
  "gzip $(curl -fs -H 'Accept-Encoding: gzip' "$repodata" | wc -c) bytes," \
  "zst $(curl -fs "$repodata.zst" | wc -c) bytes"
echo "wrk: 2 threads, $connections connections, ${duration}s per row; $(nproc) CPUs shared by client and server"
echo
echo "| request | requests/s | p50 | p99 | transfer/s |"
echo "|---|---:|---:|---:|---:|"

measure() {
  local label=$1; shift
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@")
  if echo "$out" | grep -q "Non-2xx or 3xx responses"; then
    echo "$out" >&2
    echo "error responses while measuring: $label" >&2
    exit 1
  fi
  local rps p50 p99 transfer
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  transfer=$(echo "$out" | awk '/Transfer\/sec/{print $2}')
  echo "| $label | $rps | $p50 | $p99 | $transfer |"
}

measure "repodata.json (identity)" "$repodata"
measure "repodata.json (gzip)" -H "Accept-Encoding: gzip" "$repodata"
measure "repodata.json.zst" "$repodata.zst"
measure "repodata.json, If-None-Match (304)" -H "If-None-Match: $etag" "$repodata"
measure "repodata_shards.msgpack.zst" "$base/conda/bench/linux-64/repodata_shards.msgpack.zst"
measure "zlib .conda, whole (110 KB)" "$base/conda/bench/linux-64/$(basename "$zlib")"
measure "zlib .conda, Range 64 KiB" -H "Range: bytes=0-65535" "$base/conda/bench/linux-64/$(basename "$zlib")"
measure "private channel (1 file) repodata via /t/<token>/, gzip" -H "Accept-Encoding: gzip" \
  "$base/t/$token/conda/bench-private/linux-64/repodata.json"
measure "catalog search API (database)" "$base/api/search?q=bench-pkg-00042"
echo
echo "server resident memory after the runs: $(ps -o rss= -p $server | awk '{printf "%.0f MiB", $1/1024}')"
kill $server
wait $server 2>/dev/null || true
trap - EXIT
rm -rf "$work"
