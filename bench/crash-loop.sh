#!/usr/bin/env bash
# Crash loop: several clients upload packages into a Wharf server running as a separate process while
# it is killed with SIGKILL at random moments (some kills hit it while it starts), then restarted and
# checked: every acknowledged upload is served with its bytes, repodata equals the stored rows, no blob
# lacks a row after a sweep, no spool file remains. Runs on SQLite + disk and on PostgreSQL + S3
# (embedded PostgreSQL and s3proxy in the test JVM, the server as a child process), all on loopback.
#
# Usage: bench/crash-loop.sh [kills-per-engine]     (default 50; the test suite runs 10)
# Replay a loop: WHARF_CRASH_SEED=<seed printed by a run> bench/crash-loop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
report="$PWD/wharf-server/target/crash-loop-report.txt"
mkdir -p wharf-server/target
rm -f "$report"
started=$(date -u)
# -am: build wharf-conda from this checkout rather than trusting an installed jar.
mvn -o -q -B -pl wharf-server -am test -Dtest=CrashLoopTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dwharf.crash.kills="$kills" -Dwharf.crash.report="$report" \
  ${WHARF_CRASH_SEED:+-Dwharf.crash.seed="$WHARF_CRASH_SEED"}
echo
echo "crash loop, $kills kills per engine; $(nproc) CPUs; started $started, ended $(date -u)"
cat "$report"
