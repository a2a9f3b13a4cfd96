#!/usr/bin/env bash
# Mirroring a large subdir in passive mode: an upstream linux-64 of N records (the real records of
# index4.json repeated under unique filenames, see bench/mirror_upstream.py; metadata only, no package
# files) served as static files by Debian's nginx; a fresh Wharf under -Xmx1g (SQLite, local blobs) mirrors
# it with `wharf mirror run` (passive, --remove-deleted), timed from CLI start until the run's job
# finished, which is after the node published what the run wrote. Then: heap after a full GC and RSS; 100
# upstream changes (20 records removed, 30 with another depends, 50 new) and the re-run; a re-run with
# nothing changed (the repodata answers 304). Each run's repodata.json is checked against upstream's; the
# first request for repodata.json.zst after the first run is timed too: it publishes the whole subdir.
#
# Usage: bench/mirror-passive.sh [sizes...]   (default: 10000 100000 500000)
# Env: WHARF_FIXTURES (default fixtures), WHARF_BENCH_JFR=DIR records a JFR file per size into DIR,
# WHARF_BENCH_XMX the server's heap limit (default 1g).
# Needs nginx (apt-get install nginx-light), jcmd (the JDK), Debian's python3-zstandard.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000 500000}")
read -r -a sizes <<< "${sizes[*]}"
free_port='import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
port=${WHARF_BENCH_PORT:-$(/usr/bin/python3 -c "$free_port")}
nport=$(/usr/bin/python3 -c "$free_port")
fixtures=${WHARF_FIXTURES:-fixtures}
index4="$fixtures/real/large/index4.json"
token=bench-admin-token-0123456789
base="http://127.0.0.1:$port"
jar=wharf-server/target/wharf.jar
xmx=${WHARF_BENCH_XMX:-1g}
[ -f "$index4" ] || { echo "fixture not found: $index4" >&2; exit 1; }
[ -x /usr/sbin/nginx ] || { echo "nginx is needed (apt-get install nginx-light)" >&2; exit 1; }

if [ -z "${WHARF_BENCH_NO_BUILD:-}" ]; then
  mvn -q -B -ntp -o -pl wharf-server -am package -DskipTests
fi
work=$(mktemp -d)
server=""; nginx_pid=""
stop() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; server=""; }
trap 'stop; [ -n "$nginx_pid" ] && kill $nginx_pid; wait 2>/dev/null; rm -rf "$work"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
wharf() { java -jar "$jar" "$@" --url "$base" --token "$token"; }
# how many records a repodata.json lists, and a digest of them (filename and record, sorted keys)
summary() {
  /usr/bin/python3 -c 'import hashlib, json, sys
d = json.load(sys.stdin)
recs = {**d.get("packages", {}), **d.get("packages.conda", {})}
h = hashlib.sha256()
for f in sorted(recs):
    r = {k: v for k, v in recs[f].items() if k not in ("md5", "sha256", "size")}
    h.update((f + json.dumps(r, sort_keys=True)).encode())
print(len(recs), h.hexdigest()[:16])'
}
# one run: prints "CLI seconds (job seconds)", the job's from its creation until it finished (published)
run() {
  local t0 t1 job
  t0=$(now); wharf mirror run up --json > "$work/$1.out" 2> "$work/$1.err"; t1=$(now)
  job=$(/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["job_id"])' < "$work/$1.out")
  curl -fs -H "Authorization: Bearer $token" "$base/api/jobs/$job" | /usr/bin/python3 -c '
import json, sys
from datetime import datetime
j = json.load(sys.stdin)
t = lambda k: datetime.fromisoformat(j[k].replace("Z", "+00:00"))
print("%.1f s (job %.1f s)" % (float(sys.argv[2]) - float(sys.argv[1]), (t("finished_at") - t("created_at")).total_seconds()))' "$t0" "$t1"
}
check() { # the mirror serves what upstream lists
  local up ours
  up=$(summary < "$work/upstream/linux-64/repodata.json")
  ours=$(curl -fs "$base/conda/bench/linux-64/repodata.json" | summary)
  [ "$up" = "$ours" ] || { echo "the mirror lists $ours, upstream $up" >&2; exit 1; }
  echo "${up%% *}"
}

mkdir -p "$work/upstream" "$work/nginx-tmp"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
user root;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
  access_log $work/nginx-access.log;
  sendfile on;
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  server { listen 127.0.0.1:$nport; root $work/upstream; }
}
CONF
/usr/sbin/nginx -c "$work/nginx.conf" &
nginx_pid=$!

echo "machine: $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}'), $(nproc) CPUs," \
  "$(free -g | awk '/Mem:/{print $2}') GiB RAM; $(java -version 2>&1 | head -1); $(date -u '+%F %H:%M UTC');" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| records | first run | first repodata.json after it | heap after full GC | RSS | re-run after 100 changes | re-run, nothing changed |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  rm -rf "$work/upstream"/* "$work/data"
  /usr/bin/python3 bench/mirror_upstream.py "$index4" "$work/upstream" "$n" 0 > "$work/gen0-$n.log"
  jfr=()
  if [ -n "${WHARF_BENCH_JFR:-}" ]; then
    mkdir -p "$WHARF_BENCH_JFR"
    jfr=("-XX:StartFlightRecording=filename=$WHARF_BENCH_JFR/mirror-$n.jfr,settings=profile")
  fi
  WHARF_ADMIN_TOKEN=$token java "-Xmx$xmx" "${jfr[@]}" -jar "$jar" serve --host 127.0.0.1 --port "$port" \
    --data "$work/data" > "$work/server-$n.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do curl -fs "$base/health/ready" >/dev/null && break; sleep 0.5; done
  curl -fs "$base/health/ready" >/dev/null || { echo "the server did not start" >&2; cat "$work/server-$n.log" >&2; exit 1; }
  curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench","privacy":"public"}' "$base/api/channels" >/dev/null
  wharf mirror create up --upstream "http://127.0.0.1:$nport" --channel bench --mode passive \
    --subdir linux-64 --remove-deleted > /dev/null

  first=$(run "run1-$n")
  t0=$(now); curl -fs -o /dev/null "$base/conda/bench/linux-64/repodata.json.zst"; built="$(secs "$t0" "$(now)") s"
  listed=$(check)
  [ "$listed" -eq "$n" ] || { echo "first run: $listed records, expected $n" >&2; exit 1; }
  jcmd "$server" GC.run > /dev/null
  heap=$(jcmd "$server" GC.heap_info | grep -m1 -o 'used [0-9]*K' | awk '{ printf "%d MiB", $2 / 1024 }')
  rss=$(( $(ps -o rss= -p "$server") / 1024 ))

  /usr/bin/python3 bench/mirror_upstream.py "$index4" "$work/upstream" "$n" 1 > "$work/gen1-$n.log"
  again=$(run "run2-$n")
  listed=$(check)
  [ "$listed" -eq $((n + 30)) ] || { echo "re-run: $listed records, expected $((n + 30))" >&2; exit 1; }
  grep -q '"files":80,.*"removed":20' "$work/run2-$n.out" \
    || { echo "the re-run did not write 80 and remove 20: $(cat "$work/run2-$n.out")" >&2; exit 1; }
  same=$(run "run3-$n")
  grep 'linux-64/repodata.json.zst' "$work/nginx-access.log" | tail -1 | grep -q '" 304 ' \
    || { echo "the last re-run was not a 304" >&2; exit 1; }
  grep -q '"files":0,' "$work/run3-$n.out" || { echo "the unchanged re-run wrote files" >&2; exit 1; }

  echo "| $n | $first | $built | $heap | $rss MiB | $again | $same |"
  stop
done
echo
echo "(-Xmx$xmx; times from CLI start, a JVM of its own, until the run's job finished and its files were"
echo " published; in brackets the job's own time, from its creation until then)"
