#!/usr/bin/env bash
# Download counting under load: many parallel package downloads, every fourth cut off half-way, against a
# server with counting on and the same run with counting off, alternated over several rounds. After each
# run the server is stopped (SIGTERM: its shutdown writes the counts still in memory) and started again on
# the same data, and the stored count of every file must equal the downloads the client completed (0 with
# counting off). Prints a Markdown table and the median throughput of each mode. Loopback only.
#
# Usage: bench/download-counts.sh [rounds] [downloads-per-run] [parallel] [file-MiB]
# (default 3 rounds of 240 downloads by 16 threads of 4 files of 16 MiB). WHARF_BENCH_JAR: run that jar
# instead of building this checkout. Exit status 1 when a count is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
downloads=${2:-240}
parallel=${3:-16}
size=${4:-16}
port=${WHARF_BENCH_PORT:-18240}
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
python=/usr/bin/python3
names=(dla dlb dlc dld)

jar=${WHARF_BENCH_JAR:-}
if [ -z "$jar" ]; then
  jar=wharf-server/target/wharf.jar
  if [ ! -f "$jar" ] || [ -n "$(find wharf-conda/src wharf-server/src pom.xml wharf-conda/pom.xml \
      wharf-server/pom.xml -newer "$jar" -print -quit)" ]; then
    mvn -q -B -pl wharf-server -am package -DskipTests
  fi
fi

work=$(mktemp -d)
server=
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

start_server() { # data-dir counting(true|false)
  WHARF_ADMIN_TOKEN=$token WHARF_STATS_DOWNLOADS=$2 WHARF_STATS_FLUSH_MS=1000 java -Xmx1g -jar "$jar" serve \
    --host 127.0.0.1 --port "$port" --data "$1" >> "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do
    curl -fs "$base/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  cat "$work/server.log" >&2
  exit 1
}

for n in "${names[@]}"; do
  $python bench/download_load.py package "$work" "$n" "$size" >/dev/null
done
auth=(-H "Authorization: Bearer $token")
paths=()
for n in "${names[@]}"; do
  paths+=("/conda/bench/noarch/$n-1.0-0.tar.bz2")
done

echo "machine: $(lscpu | awk -F': +' '/^Model name/{print $2}'), $(nproc) CPUs," \
  "$(free -g | awk '/^Mem:/{print $2}') GiB RAM; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
echo "each run: a warm-up of $((downloads / 4)) downloads, then $downloads measured, of ${#names[@]} files of $size MiB by $parallel threads, every 4th cut off half-way"
echo
echo "| round | counting | MiB/s (complete downloads, measured run) | seconds (measured run) | completed (warm-up + run) | cut off | counted after restart | right |"
echo "|---|---|---|---|---|---|---|---|"
status=0
declare -A rates=([true]="" [false]="")
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="true false"; else order="false true"; fi
  for mode in $order; do
    data="$work/data-$round-$mode"
    start_server "$data" "$mode"
    curl -fs "${auth[@]}" -H 'Content-Type: application/json' -d '{"name":"bench","privacy":"public"}' \
      "$base/api/channels" >/dev/null
    for n in "${names[@]}"; do
      curl -fs "${auth[@]}" -T "$work/$n-1.0-0.tar.bz2" "$base/api/channels/bench/files/$n-1.0-0.tar.bz2" >/dev/null
    done
    # a warm-up (JIT, page cache) whose downloads count too but whose time is not measured
    warm=$($python bench/download_load.py run --port "$port" --downloads $((downloads / 4)) \
      --parallel "$parallel" --cut-every 4 --paths "${paths[@]}")
    result=$($python bench/download_load.py run --port "$port" --downloads "$downloads" --parallel "$parallel" \
      --cut-every 4 --paths "${paths[@]}")
    stop_server
    start_server "$data" true
    counted=$(curl -fs "$base/api/channels/bench/files?subdir=noarch")
    stop_server
    line=$($python - "$warm" "$result" "$counted" "$mode" <<'PY'
import json, sys
warm, result, files, mode = (
    json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4])
stored = {f["filename"]: f["downloads"] for f in files}
done = {p: warm["completed"][p] + result["completed"][p] for p in result["completed"]}
cut = sum(warm["cut_off"].values()) + sum(result["cut_off"].values())
want = {p.rsplit("/", 1)[1]: (n if mode == "true" else 0) for p, n in done.items()}
ok = all(stored.get(k) == v for k, v in want.items())
print(result["mib_per_s"], result["seconds"], sum(done.values()), cut, sum(stored.values()), "yes" if ok else "NO",
      sep="|")
PY
)
    IFS='|' read -r rate seconds completed cut total right <<< "$line"
    [ "$right" = yes ] || status=1
    rates[$mode]="${rates[$mode]} $rate"
    echo "| $round | $([ "$mode" = true ] && echo on || echo off) | $rate | $seconds | $completed | $cut | $total | $right |"
  done
done
echo
$python - "${rates[true]}" "${rates[false]}" <<'PY'
import statistics, sys
on, off = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
m_on, m_off = statistics.median(on), statistics.median(off)
print(f"median MiB/s: counting on {m_on:.1f}, off {m_off:.1f}; on/off = {m_on / m_off:.3f}")
PY
exit $status
