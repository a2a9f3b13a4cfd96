#!/usr/bin/env bash
# What a token costs on the conda path: wrk sends If-None-Match for repodata.json.zst of a public channel
# (every answer a 304) anonymously, with the bootstrap administrator token, and with a service account's
# read token (Bearer), then a private channel's repodata through /t/<token>/.
#
# Usage: bench/token-cost.sh [seconds-per-run] [connections]
# Needs wrk (Debian package "wrk"); reads the repository's fixtures/ (or WHARF_FIXTURES).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-8}
connections=${2:-16}
port=${WHARF_BENCH_PORT:-18233}
fixtures=${WHARF_FIXTURES:-fixtures}
zlib="$fixtures/real/packages/zlib-1.2.11-h7b6447c_3.conda"
admin=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
. bench/lib.sh

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
[ -f "$zlib" ] || { echo "fixture not found: $zlib" >&2; exit 1; }
[ -f wharf-server/target/wharf.jar ] || mvn -q -B -pl wharf-server -am package -DskipTests

work=$(mktemp -d)
WHARF_ADMIN_TOKEN=$admin java -Xmx512m -jar wharf-server/target/wharf.jar serve --port "$port" \
  --data "$work/data" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
wait_ready "$work/server.log"

auth=(-H "Authorization: Bearer $admin")
json=(-H 'Content-Type: application/json')
for spec in public:public private:private; do
  curl -fs "${auth[@]}" "${json[@]}" -d "{\"name\":\"${spec%%:*}\",\"privacy\":\"${spec##*:}\"}" \
    "$base/api/channels" >/dev/null
  curl -fs "${auth[@]}" -T "$zlib" "$base/api/channels/${spec%%:*}/files/$(basename "$zlib")" >/dev/null
done
curl -fs "${auth[@]}" "${json[@]}" -d '{"name":"ci","service":true}' "$base/api/users" >/dev/null
curl -fs "${auth[@]}" -X PUT "${json[@]}" -d '{"role":"viewer"}' "$base/api/channels/private/members/ci" >/dev/null
read_token=$(curl -fs "${auth[@]}" "${json[@]}" -d '{"name":"conda","owner":"ci","permission":"read"}' \
  "$base/api/tokens" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')

repodata="$base/conda/public/linux-64/repodata.json.zst"
etag=$(curl -fsI "$repodata" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
private="$base/t/$read_token/conda/private/linux-64/repodata.json.zst"
private_etag=$(curl -fsI "$private" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')

echo "wrk: 2 threads, $connections connections, ${duration}s per row; $(nproc) CPUs shared by client and server"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| caller | req/s | p50 | p99 |"
echo "|---|---:|---:|---:|"
measure() {
  local label=$1; shift
  local out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency "$@")
  if echo "$out" | grep -q "Non-2xx or 3xx responses"; then
    echo "$out" >&2
    echo "error responses while measuring: $label" >&2
    exit 1
  fi
  echo "| $label | $(echo "$out" | awk '/Requests\/sec/{print $2}') | $(echo "$out" | awk '$1=="50%"{print $2}') |" \
    "$(echo "$out" | awk '$1=="99%"{print $2}') |"
}
# warm-up of every path (JIT), not reported
for h in "X-Warm-Up: 1" "Authorization: Bearer $admin" "Authorization: Bearer $read_token"; do
  wrk -t2 -c"$connections" -d3s -H "If-None-Match: $etag" -H "$h" "$repodata" >/dev/null
done
wrk -t2 -c"$connections" -d3s -H "If-None-Match: $private_etag" "$private" >/dev/null
measure "anonymous" -H "If-None-Match: $etag" "$repodata"
measure "bootstrap administrator token (Bearer)" -H "If-None-Match: $etag" "${auth[@]}" "$repodata"
measure "a service account's read token (Bearer)" -H "If-None-Match: $etag" -H "Authorization: Bearer $read_token" \
  "$repodata"
measure "the read token in /t/<token>/, private channel" -H "If-None-Match: $private_etag" "$private"
