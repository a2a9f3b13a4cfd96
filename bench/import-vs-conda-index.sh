#!/usr/bin/env bash
# Bulk import next to conda-index on the same channel directory, on the same machine: N small packages
# (half .conda, half .tar.bz2, half noarch, half linux-64) made by shared/tools/make_channel.py, then
#   1. conda-index on the directory, three ways (see below), or, where no conda-index can be installed,
#      bench/conda-index-standin.py, which does conda-index's per-package work on one core; the output says
#      which one ran;
#   2. `wharf import` of the same directory into a fresh server (SQLite, local blobs), from CLI start to
#      its summary, and until the server's repodata.json of both subdirs lists every package;
#   3. the same import again (everything skipped), then N other packages (other names) into the same,
#      now warm, server: a fresh JVM spends about a third of the first import's CPU compiling code.
# For each import the server's and the CLI's CPU seconds are printed beside the wall time.
# Prints packages per second for each.
# With WHARF_BENCH_ON_SERVER=1 every import is `wharf import --on-server`: the server reads the directory
# itself (the bench directory is its import.directories) and the CLI only shows what it reports.
#
# With WHARF_BENCH_CONDA_INDEX=0 conda-index is not run, and with WHARF_BENCH_WARM=0 the warm import is not
# made (for runs at sizes where they would take most of the hour). WHARF_BENCH_XMX sets the server's heap
# (default 1g). WHARF_BENCH_JFR=DIR records the server's run into DIR/import-server.jfr (settings `profile`).
#
# Usage: bench/import-vs-conda-index.sh [packages]   (default 20000)
# Needs ../shared/tools/make_channel.py (or WHARF_BENCH_SHARED=<dir>) and Debian's python3-zstandard and
# python3-conda-package-streaming.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
# a free port: other benchmarks on the machine may hold the usual ones
free_port='import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
port=${WHARF_BENCH_PORT:-$(/usr/bin/python3 -c "$free_port")}
shared=${WHARF_BENCH_SHARED:-../shared}
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
[ -f "$shared/tools/make_channel.py" ] || { echo "not found: $shared/tools/make_channel.py" >&2; exit 1; }

[ "${WHARF_BENCH_NO_BUILD:-0}" = 1 ] || mvn -q -B -ntp -o -pl wharf-server -am package -DskipTests
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# make_channel.py DIR COUNT START, in one process per CPU on slices whose starts are multiples of 4 (the four
# versions of a name), so that the packages are those one process would make
make_packages() {
  local dir=$1 first=$2 count=$3 step start
  step=$(( (count / $(nproc) + 3) / 4 * 4 ))
  [ "$step" -gt 0 ] || step=4
  for ((start = first; start < first + count; start += step)); do
    /usr/bin/python3 "$shared/tools/make_channel.py" "$dir" \
      "$(( start + step < first + count ? step : first + count - start ))" "$start" &
  done
  wait
}
warm_run=${WHARF_BENCH_WARM:-1}
echo "making $n packages$([ "$warm_run" = 0 ] || echo ", and $n others for the warm run") ..."
make_packages "$work/channel" 0 "$n"
[ "$warm_run" = 0 ] || make_packages "$work/channel-warm" "$n" "$n"
count=$(find "$work/channel" -name '*.conda' -o -name '*.tar.bz2' | wc -l)
echo "$count package files, $(du -sh "$work/channel" | cut -f1) in $(ls "$work/channel" | tr '\n' ' ')"
find "$work"/channel* -type f -exec cat {} + > /dev/null # both tools start from a warm page cache

# 1. conda-index (or the stand-in), each run on a fresh copy, so that neither its cache from an earlier run nor
#    its outputs sit in the directory Wharf reads. A real conda-index runs three ways: as installed (one worker
#    process per CPU), on one worker (`--threads 1`), and writing every form Wharf publishes (repodata.json.zst,
#    current_repodata.json, channeldata.json, CEP-16 shards).
ci_rows=()
ci_best_secs=
run_ci() { # label, command...
  local label=$1 t0 t1
  shift
  rm -rf "$work/channel-ci"
  cp -r "$work/channel" "$work/channel-ci"
  t0=$(now)
  "$@" > /dev/null 2> "$work/conda-index.err" || { cat "$work/conda-index.err" >&2; exit 1; }
  t1=$(now)
  ci_rows+=("| $label | $count | $(secs "$t0" "$t1") | $(rate "$count" "$t0" "$t1") | | |")
  if [ -z "$ci_best_secs" ] || awk -v a="$(secs "$t0" "$t1")" -v b="$ci_best_secs" 'BEGIN { exit !(a < b) }'; then
    ci_best_secs=$(secs "$t0" "$t1")
    ci_best=$label
  fi
}
if [ "${WHARF_BENCH_CONDA_INDEX:-1}" = 0 ]; then
  echo "conda-index not run (WHARF_BENCH_CONDA_INDEX=0)"
elif command -v conda-index >/dev/null 2>&1; then
  tool="conda-index $(conda-index --version 2>/dev/null | sed 's/^conda-index //' || true)"
  run_ci "$tool" conda-index "$work/channel-ci"
  run_ci "$tool --threads 1" conda-index --threads 1 "$work/channel-ci"
  run_ci "$tool --zst --current-repodata --channeldata --write-shards" \
    conda-index --zst --current-repodata --channeldata --write-shards "$work/channel-ci"
else
  run_ci "bench/conda-index-standin.py (no conda-index on this machine)" \
    /usr/bin/python3 bench/conda-index-standin.py "$work/channel-ci"
fi
rm -rf "$work/channel-ci"

# 2. wharf import into a fresh server
on_server=()
how="wharf import"
server_env=(WHARF_ADMIN_TOKEN=$token)
if [ "${WHARF_BENCH_ON_SERVER:-0}" = 1 ]; then
  on_server=(--on-server)
  how="wharf import --on-server"
  server_env+=(WHARF_IMPORT_DIRECTORIES=$work)
fi
jfr=()
if [ -n "${WHARF_BENCH_JFR:-}" ]; then
  mkdir -p "$WHARF_BENCH_JFR"
  jfr=("-XX:StartFlightRecording=filename=$(cd "$WHARF_BENCH_JFR" && pwd)/import-server.jfr,settings=profile")
fi
env "${server_env[@]}" java -Xmx"${WHARF_BENCH_XMX:-1g}" "${jfr[@]}" -jar wharf-server/target/wharf.jar serve --host 127.0.0.1 \
  --port "$port" --data "$work/data" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fs "$base/health/ready" >/dev/null && break
  sleep 0.5
done
curl -fs "$base/health/ready" >/dev/null && kill -0 "$server" 2>/dev/null \
  || { echo "the server did not start (port $port taken?)" >&2; cat "$work/server.log" >&2; exit 1; }
curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"bench","privacy":"public"}' "$base/api/channels" >/dev/null

# CPU seconds (user + system) the server has used so far
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$server/stat"; }
# runs `wharf import` of directory $1 with the CLI's CPU seconds written to $2
import_dir() {
  /usr/bin/time -f "%U %S" -o "$2" java -jar wharf-server/target/wharf.jar import --url "$base" --token "$token" \
    --channel bench --no-progress "${on_server[@]}" "$1"
}
cli_cpu() { awk '{ printf "%.1f", $1 + $2 }' "$1"; }

listed() {
  local total=0 s
  for s in $(ls "$work/channel"); do
    s=$(curl -fs "$base/conda/bench/$s/repodata.json" | /usr/bin/python3 -c \
      'import json,sys; d=json.load(sys.stdin); print(len(d["packages"]) + len(d["packages.conda"]))')
    total=$((total + s))
  done
  echo "$total"
}

c0=$(server_cpu)
t0=$(now)
import_dir "$work/channel" "$work/cli1" | tee "$work/import.out"
t1=$(now)
c1=$(server_cpu)
while [ "$(listed)" -lt "$count" ]; do sleep 0.05; done
t2=$(now)
grep -q "^imported $count, skipped 0 (already present), refused 0$" "$work/import.out" \
  || { echo "the import did not import every file" >&2; exit 1; }

# a second run skips everything
c3=$(server_cpu)
t3=$(now)
import_dir "$work/channel" "$work/cli2" > "$work/again.out"
t4=$(now)
c4=$(server_cpu)

# other packages into the warm server
if [ "$warm_run" != 0 ]; then
  warm=$(find "$work/channel-warm" -name '*.conda' -o -name '*.tar.bz2' | wc -l)
  c5=$(server_cpu)
  t5=$(now)
  import_dir "$work/channel-warm" "$work/cli3" > "$work/warm.out"
  t6=$(now)
  c6=$(server_cpu)
  grep -q "^imported $warm, skipped 0 (already present), refused 0$" "$work/warm.out" \
    || { echo "the warm import did not import every file: $(cat "$work/warm.out")" >&2; exit 1; }
fi
jcmd "$server" GC.run > /dev/null 2>&1 || true
heap=$(jcmd "$server" GC.heap_info 2>/dev/null \
  | awk '/heap.*total/ { gsub(/[K,]/, ""); printf "%.0f MB used of %.0f MB", $(NF-2) / 1024, $(NF-4) / 1024; exit }' || true)
rss=$(awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status")

echo
echo "machine: $(nproc) CPUs, $(free -g | awk '/Mem:/{print $2}') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | packages | seconds | packages/s | server CPU s | CLI CPU s |"
echo "|---|---:|---:|---:|---:|---:|"
[ ${#ci_rows[@]} = 0 ] || printf '%s\n' "${ci_rows[@]}"
echo "| $how (CLI start to summary) | $count | $(secs "$t0" "$t1") | $(rate "$count" "$t0" "$t1") |" \
  "$(secs "$c0" "$c1") | $(cli_cpu "$work/cli1") |"
echo "| $how until repodata.json lists all | $count | $(secs "$t0" "$t2") | $(rate "$count" "$t0" "$t2") | | |"
echo "| $how again ($(cat "$work/again.out")) | $count | $(secs "$t3" "$t4") |" \
  "$(rate "$count" "$t3" "$t4") | $(secs "$c3" "$c4") | $(cli_cpu "$work/cli2") |"
[ "$warm_run" = 0 ] || echo "| $how of $warm other packages into the warm server | $warm |" \
  "$(secs "$t5" "$t6") | $(rate "$warm" "$t5" "$t6") | $(secs "$c5" "$c6") | $(cli_cpu "$work/cli3") |"
echo
echo "server at the end: RSS $rss, heap after a full GC $heap"
if [ -n "$ci_best_secs" ]; then
  ratio=$(awk -v a="$ci_best_secs" -v b="$(secs "$t0" "$t2")" 'BEGIN { printf "%.1f", a / b }')
  echo "$how / $ci_best (the fastest of the above): ${ratio}x (until repodata.json lists all)"
fi
