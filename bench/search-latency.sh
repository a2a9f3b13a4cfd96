#!/usr/bin/env bash
# Search latency on the embedded default (SQLite): 10,000 names x 10 files, p50/p95/p99 per query type.
# Usage: bench/search-latency.sh [names] [files-per-name] [queries-per-type]
# PostgreSQL (embedded server) instead of SQLite: BENCH_ENGINE=postgresql bench/search-latency.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."
classpath_file="$PWD/wharf-server/target/search-bench.classpath"
# -am: build wharf-conda from this checkout rather than trusting an installed jar. The dependency plugin's
# version is pinned: unpinned, Maven picks whatever its local metadata names (2.8 on some machines, which
# cannot resolve its own dependencies offline).
mvn -q -B -pl wharf-server -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
exec java -Dbench.engine="${BENCH_ENGINE:-sqlite}" -cp "wharf-server/target/test-classes:wharf-server/target/classes:$(cat "$classpath_file")" \
  io.wharf.server.search.SearchLatencyBenchmark "$@"
