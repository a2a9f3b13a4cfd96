#!/usr/bin/env bash
# Fuzzes one Jazzer target for a while, then keeps the smallest set of inputs that reaches the same
# coverage as its replay corpus, so that `mvn test` replays what the campaign reached.
#
# Usage: wharf-conda/fuzz-corpus.sh <test class> <method> [seconds]
#   e.g. wharf-conda/fuzz-corpus.sh io.wharf.conda.archive.ArchiveFuzzTest condaBytesAreReadOrRefused 60
# FUZZ_ARGS and MERGE_ARGS add libFuzzer flags to the campaign and to the minimisation (for example
# MERGE_ARGS=-use_counters=0 keeps one input per reached edge rather than per edge and hit count).
#
# The replay corpus is src/test/resources/<package>/<Class>Inputs/<method>/. Files named by their
# SHA-1 (40 hex digits) are the minimised campaign corpus and are replaced on every run; files with any
# other name are seeds or inputs that once failed, and are kept as they are.
set -euo pipefail
cd "$(dirname "$0")"
class=$1
method=$2
seconds=${3:-60}
inputs="src/test/resources/$(dirname "${class//.//}")/$(basename "${class//.//}")Inputs/$method"
mkdir -p "$inputs"

mvn -B -ntp -q test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
  -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# libFuzzer runs the minimisation in a child process that it starts as "jazzer".
mkdir "$work/bin" "$work/campaign" "$work/minimised"
cat > "$work/bin/jazzer" <<EOF
#!/usr/bin/env bash
exec java -Xmx768m -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat target/fuzz.classpath)" \
  com.code_intelligence.jazzer.Jazzer --target_class=$class --target_method=$method \
  --instrumentation_includes='io.wharf.**' \
  --disabled_hooks=com.code_intelligence.jazzer.sanitizers.RegexInjection "\$@"
EOF
chmod +x "$work/bin/jazzer"
export PATH="$work/bin:$PATH"

# New inputs go to the first directory; the replay corpus seeds the campaign. A failure stops here
# with the failing input in the current directory (crash-*), to be added to the corpus once fixed.
nice -n 10 jazzer "$work/campaign" "$inputs" -max_total_time="$seconds" ${FUZZ_ARGS:-}
nice -n 10 jazzer -set_cover_merge=1 ${MERGE_ARGS:-} "$work/minimised" "$work/campaign" "$inputs"

find "$inputs" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
for f in "$work/minimised"/*; do
  duplicate=false
  for kept in "$inputs"/*; do
    if [ -f "$kept" ] && cmp -s "$f" "$kept"; then duplicate=true; fi
  done
  if [ "$duplicate" = false ]; then cp "$f" "$inputs/"; fi
done
echo "$inputs: $(find "$inputs" -type f | wc -l) inputs, $(du -sb "$inputs" | cut -f1) bytes"
