#!/usr/bin/env bash
# Publishing at scale: for a linux-64 subdir of 1,000, 10,000 and 100,000 records (real records of
# index4.json, repeated; see SubdirFiller), the server's first publication time, then 50 uploads one
# after another, each timed from sending it until it is served in repodata.json.zst, in its shard and in
# current_repodata.json (PublishLatency visible); at 100,000 records also a download and a 304
# revalidation idle and during a burst of 100 uploads (PublishLatency busy). Then a 500,000-record
# subdir under -Xmx512m: first publication time, heap after a full GC, and RSS.
#
# Usage: bench/publish-latency.sh [sizes...]   (default: 1000 10000 100000 500000)
# Reads the fixtures in fixtures/ (or WHARF_FIXTURES); needs jcmd (the JDK).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000 100000 500000}")
read -r -a sizes <<< "${sizes[*]}"
port=${WHARF_BENCH_PORT:-18241}
fixtures=${WHARF_FIXTURES:-fixtures}
index4="$fixtures/real/large/index4.json"
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
[ -f "$index4" ] || { echo "fixture not found: $index4" >&2; exit 1; }

classpath_file="$PWD/wharf-server/target/bench.classpath"
mvn -q -B -pl wharf-server -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
cp="wharf-server/target/test-classes:wharf-server/target/classes:$(cat "$classpath_file")"

work=$(mktemp -d)
server=""
stop() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; server=""; }
trap 'stop; rm -rf "$work"' EXIT

echo "machine: $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}'), $(nproc) CPUs," \
  "$(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); $(date -u +%F)"
for n in "${sizes[@]}"; do
  data="$work/data-$n"
  java -cp "$cp" io.wharf.server.bench.SubdirFiller "$data/wharf.db" bench "$n" "$index4"
  WHARF_ADMIN_TOKEN=$token java -Xmx512m -jar wharf-server/target/wharf.jar serve --port "$port" \
    --data "$data" > "$work/server-$n.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do curl -fs "$base/health/ready" >/dev/null && break; sleep 0.5; done
  start=$(date +%s.%N)
  bytes=$(curl -fs "$base/conda/bench/linux-64/repodata.json.zst" | wc -c)
  first=$(echo "$(date +%s.%N) - $start" | bc)
  echo
  echo "== $n records: first repodata.json.zst request (publication from the rows) ${first}s, $bytes bytes"
  if [ "$n" -le 100000 ]; then
    java -cp "$cp" io.wharf.server.bench.PublishLatency visible "$base" "$token" bench "$work/pkgs-$n" 50
  fi
  if [ "$n" -eq 10000 ]; then
    # a second node on the same database and blobs, with its own published files
    WHARF_ADMIN_TOKEN=$token java -Xmx512m -jar wharf-server/target/wharf.jar serve --port "$((port + 1))" \
      --data "$work/node2-$n" --db-url "jdbc:sqlite:$data/wharf.db" --storage "$data/blobs" \
      > "$work/node2-$n.log" 2>&1 &
    node2=$!
    for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$((port + 1))/health/ready" >/dev/null && break; sleep 0.5; done
    java -cp "$cp" io.wharf.server.bench.PublishLatency cross "$base" "$token" bench "$work/cross" \
      "http://127.0.0.1:$((port + 1))" 50
    kill "$node2"; wait "$node2" 2>/dev/null || true
  fi
  if [ "$n" -eq 100000 ]; then
    java -cp "$cp" io.wharf.server.bench.PublishLatency busy "$base" "$token" bench "$work/burst" \
      latency-probe-0000-1.0-0.tar.bz2
  fi
  jcmd "$server" GC.run >/dev/null
  heap=$(jcmd "$server" GC.heap_info | grep -m1 -o 'total [0-9]*K, used [0-9]*K')
  rss=$(ps -o rss= -p "$server")
  echo "heap after full GC: $heap; RSS $((rss / 1024)) MiB (-Xmx512m)"
  stop
done
