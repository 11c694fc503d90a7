#!/usr/bin/env bash
# Runs every test. Finds or installs what the tests need (Debian's Chromium, kubectl), then runs dotnet test
# and ends with the plain line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '[test.sh] %s\n' "$*" >&2; }

ensure_chromium() {
  if [ -n "${KOSMOS_CHROMIUM:-}" ] && [ -x "$KOSMOS_CHROMIUM" ]; then return 0; fi
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$c" ]; then export KOSMOS_CHROMIUM="$c"; return 0; fi
  done
  log "Chromium not found: installing Debian's chromium package"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
    || { log "could not install chromium; browser tests will fail"; return 1; }
  export KOSMOS_CHROMIUM=/usr/bin/chromium
}

ensure_kubectl() {
  if command -v kubectl >/dev/null 2>&1; then export KOSMOS_KUBECTL="$(command -v kubectl)"; return 0; fi
  log "kubectl not found: installing Debian's kubernetes-client package"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq kubernetes-client >/dev/null \
    || { log "could not install kubectl; kubectl conformance tests will fail"; return 1; }
  export KOSMOS_KUBECTL="$(command -v kubectl)"
}

ensure_chromium
ensure_kubectl

results="$PWD/test-output"
rm -rf "$results"; mkdir -p "$results"

log "building"
if ! dotnet build KosmosDashboard.sln -c Release -v q -nologo; then
  log "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

log "running tests"
dotnet test KosmosDashboard.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=2400000
status=$?

# Sum the counters of every trx file (one per test project): the plain closing line CI reads.
read -r passed failed < <(python3 - "$results" <<'PY'
import sys, glob, re
p = f = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    text = open(path, encoding="utf-8", errors="replace").read()
    m = re.search(r'<Counters [^>]*>', text)
    if not m: continue
    attrs = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
    p += int(attrs.get("passed", 0))
    f += int(attrs.get("failed", 0)) + int(attrs.get("error", 0)) + int(attrs.get("timeout", 0)) + int(attrs.get("aborted", 0))
print(p, f)
PY
)
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
