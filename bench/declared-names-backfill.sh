#!/usr/bin/env bash
# The start-up backfill of declared PyPI names on a database the size of a mirror: a linux-64 subdir of N
# package files (real records of index4.json, repeated; see SubdirFiller), each with a stored listing of F
# installed files (ContentsFiller: a record that depends on python lists a site-packages tree with a
# .dist-info directory), and the whole OSV fixture set imported. The declared names are then removed and the
# backfill's cursor set, as migration V42 leaves a database upgraded from before declared names were kept,
# and the server is started again: the time from its start until the cursor row is gone, the server's CPU
# over that time, what was found, and the latency of a repodata request while the backfill runs and after.
#
# Usage: bench/declared-names-backfill.sh [files] [files per listing]   (defaults 200000 and 40)
# Reads fixtures/ and ../shared/fixtures/osv (or WHARF_BENCH_SHARED=<dir>); needs the JDK and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
per=${2:-40}
shared=${WHARF_BENCH_SHARED:-../shared}
osv="$shared/fixtures/osv"
index4=fixtures/real/large/index4.json
free_port='import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
port=${WHARF_BENCH_PORT:-$(/usr/bin/python3 -c "$free_port")}
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
[ -d "$osv/json" ] && [ -d "$osv/pypa-yaml" ] || { echo "not found: $osv/json and $osv/pypa-yaml" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs sqlite3" >&2; exit 1; }

classpath_file="$PWD/wharf-server/target/bench.classpath"
if [ "${WHARF_BENCH_NO_BUILD:-0}" != 1 ] || [ ! -f "$classpath_file" ]; then
  mvn -q -B -ntp -o -pl wharf-server -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
fi
cp="wharf-server/target/test-classes:wharf-server/target/classes:$(cat "$classpath_file")"

work=$(mktemp -d)
db="$work/data/wharf.db"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
start_server() {
  WHARF_ADMIN_TOKEN=$token java -Xmx512m -jar wharf-server/target/wharf.jar serve --host 127.0.0.1 \
    --port "$port" --data "$work/data" >> "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do curl -fs "$base/health/ready" >/dev/null && return; sleep 0.25; done
  echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$server/stat"; }
q() { sqlite3 -cmd '.timeout 5000' "$db" "$1"; }
# seconds a request for the subdir's repodata.json.zst takes (its ETag sent: the usual conda revalidation)
probe() {
  curl -s -o /dev/null -w '%{time_total}' -H "If-None-Match: $etag" "$base/conda/bench/linux-64/repodata.json.zst"
}

echo "machine: $(nproc) CPUs, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); $(date -u)"
java -cp "$cp" io.wharf.server.bench.SubdirFiller "$db" bench "$n" "$index4"
java -cp "$cp" io.wharf.server.bench.ContentsFiller "$db" "$per"

start_server
for dir in json pypa-yaml; do
  java -jar wharf-server/target/wharf.jar cve import --url "$base" --token "$token" "$osv/$dir" > "$work/out" 2>&1 \
    || { cat "$work/out" >&2; exit 1; }
done
stop_server
matched_before=$(q "SELECT COUNT(*) FROM cve_matches")

q "DELETE FROM package_pypi_names; DELETE FROM declared_names_backfill;
   INSERT INTO declared_names_backfill (id, after_file_id, until_file_id)
     SELECT 1, 0, MAX(id) FROM package_files;"
t0=$(now)
start_server
t_ready=$(now)
etag=$(curl -fsI "$base/conda/bench/linux-64/repodata.json.zst" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')
during=()
while [ "$(q "SELECT COUNT(*) FROM declared_names_backfill")" != 0 ]; do
  during+=("$(probe)")
  sleep 0.2
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
done
t1=$(now)
cpu=$(server_cpu)
after=()
for _ in $(seq 1 20); do after+=("$(probe)"); sleep 0.05; done
p50() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.1f", a[int((NR + 1) / 2)] * 1000; else printf "-" }'; }

echo
echo "| files | files per listing | listings with a .dist-info | from start to ready s | from start until the backfill is done s | server CPU s | declared names found (files, conda names) | CVE matches before, after | revalidation p50 during, after ms |"
echo "|---:|---:|---:|---:|---:|---:|---|---|---|"
echo "| $n | $per | $(q "SELECT COUNT(*) FROM package_contents WHERE paths_json LIKE '%.dist-info/%'") | $(secs "$t0" "$t_ready") | $(secs "$t0" "$t1") | $cpu | $(q "SELECT COUNT(DISTINCT sha256) || ', ' || COUNT(DISTINCT conda_name) FROM package_pypi_names") | $matched_before, $(q "SELECT COUNT(*) FROM cve_matches") | $(p50 "${during[@]}") ($(printf '%s\n' "${during[@]}" | grep -c .) probes), $(p50 "${after[@]}") |"
grep "declared by files" "$work/server.log" || true
