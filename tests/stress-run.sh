#!/usr/bin/env bash
# Runs the whole suite (./test.sh) N times in a row (default 3) while `stress --cpu 2` keeps both cores busy, and reports
# pass/fail per run: the check that no test depends on the machine's speed. It takes N times ./test.sh's time, longer
# under the load; run it on an otherwise quiet machine. Each run's test results are kept in test-output-stress-K/.
#
#   tests/stress-run.sh          # 3 runs under 2 busy cores
#   tests/stress-run.sh 5        # 5 runs
#   STRESS_CPUS=4 tests/stress-run.sh
#
# Exit status 0 only when every run ends "N passed, 0 failed".
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
cpus="${STRESS_CPUS:-2}"
case "$runs" in ''|*[!0-9]*|0) echo "usage: $0 [runs >= 1]" >&2; exit 2 ;; esac

log() { printf '[stress-run] %s\n' "$*" >&2; }

# Debian's stress when it is there (or can be installed, as test.sh installs Chromium); otherwise a load of our own:
# one busy shell loop per CPU, which keeps the cores as busy as `stress --cpu N` does.
if ! command -v stress >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq stress >/dev/null 2>&1 \
    || log "stress could not be installed: using busy shell loops as the load"
fi

# In a process group of its own (stress forks one worker per CPU and does not stop them when it is terminated), and with
# a timeout of its own so a killed script does not leave the load behind for long.
if command -v stress >/dev/null 2>&1; then
  setsid stress --cpu "$cpus" --timeout "${STRESS_MAX_SECONDS:-21600}" >/dev/null 2>&1 &
else
  setsid timeout "${STRESS_MAX_SECONDS:-21600}" sh -c 'for i in $(seq 1 "$1"); do (while :; do :; done) & done; wait' load "$cpus" >/dev/null 2>&1 &
fi
stress_pid=$!
# Stop the load however the script ends; only the group of the stress this script started is signalled.
stop_stress() { kill -- "-$stress_pid" 2>/dev/null; wait "$stress_pid" 2>/dev/null; }
trap stop_stress EXIT
trap 'exit 130' INT TERM
log "stress --cpu $cpus running (pid $stress_pid); $runs runs of ./test.sh"

summary=()
failed_runs=0
for run in $(seq 1 "$runs"); do
  start=$(date +%s)
  log "run $run of $runs"
  out="$(./test.sh 2>&1 | tee -a /dev/stderr | tail -n 1)" # -a: without it, a stderr redirected to a file is truncated at every run
  status=${PIPESTATUS[0]}
  secs=$(( $(date +%s) - start ))
  # test.sh empties test-output/ at every start: keep this run's results beside the next run's.
  if [ -d test-output ]; then rm -rf "test-output-stress-$run"; mv test-output "test-output-stress-$run"; fi
  if [ "$status" -eq 0 ]; then verdict=PASS; else verdict=FAIL; failed_runs=$((failed_runs + 1)); fi
  summary+=("run $run: $verdict ($out) in ${secs}s")
done

stop_stress
trap - EXIT
echo
for line in "${summary[@]}"; do echo "$line"; done
echo "$((runs - failed_runs)) of $runs runs passed under stress --cpu $cpus"
[ "$failed_runs" -eq 0 ]
