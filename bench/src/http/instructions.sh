#!/usr/bin/env bash
# Instructions per request of one HTTP target, counted by valgrind's callgrind: unlike timings on
# this shared 2-core machine, the count repeats within ~1 % whatever else runs. The process holds
# the server and a small raw client (instructions.mjs), so a count covers both; compare targets
# with each other (bare against satchel), not with the CPU µs of the HTTP suite.
#   bash src/http/instructions.sh express-satchel-memory S1 [small] [large]
# CONNECTIONS=10 drives 10 sockets and sessions like the HTTP suite, but then how requests batch
# per event-loop turn follows the timing, and counts moved by ~10 % between runs; the default, one
# socket, repeats within ~1 %.
# Needs `valgrind` (Debian package) and the built packages; takes ~2 minutes per target.
set -euo pipefail
cd "$(dirname "$0")"
target=$1 scenario=$2 small=${3:-1000} large=${4:-3000} connections=${CONNECTIONS:-1}
count() {
  # --single-threaded: no concurrent compiler or GC threads, whose share varied between runs.
  # --initial-old-space-size: no full collection in either run. With --predictable-gc-schedule
  # (used before 2026-12-03) a full collection came every ~700 requests and one more or fewer in
  # the window moved a count by up to ~40,000 instructions per request; scavenges, which follow
  # what a request allocates, stay in the count.
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file \
    node --single-threaded --initial-old-space-size=1024 instructions.mjs \
    --target "$target" --scenario "$scenario" --requests "$1" --connections "$connections" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# Two runs that differ only in the number of measured requests: start-up, warm-up and the
# load of the modules cancel out of the difference.
a=$(count "$small") b=$(count "$large")
echo "$target $scenario: $(( (b - a) / (large - small) )) instructions per request (server and client)"
