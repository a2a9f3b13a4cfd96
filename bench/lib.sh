# Shared by the bench scripts: source it after setting $base (the server's URL).

# wait_ready LOG [TRIES]: waits until the server at $base answers /health/ready (TRIES half-seconds, 120 by
# default); if it never does, prints its log and exits.
wait_ready() {
  local log=$1 tries=${2:-120}
  for _ in $(seq 1 "$tries"); do
    curl -fs "$base/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "the server did not become ready at $base" >&2
  cat "$log" >&2
  exit 1
}
