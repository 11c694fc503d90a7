#!/usr/bin/env bash
# Publishes the dashboard as the container image does (KosmosEmbeddedSimulator=false) and fails if the output holds any part
# of the Kubernetes API simulator: its assembly (with its shell interpreter and tar), a dependency entry naming it, or the
# demo fleet's manifests. Builds in a scratch folder (--artifacts-path), so it never touches the bin/ and obj/ folders that
# tests use. About a minute on a busy 2-core machine. Usage: deploy/check-production-publish.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
out="${1:-$scratch/publish}"

dotnet publish src/Kosmos.Dashboard/Kosmos.Dashboard.csproj -c Release -p:KosmosEmbeddedSimulator=false \
  --artifacts-path "$scratch/artifacts" -o "$out" --nologo -v q

[ -f "$out/Kosmos.Dashboard.dll" ] || { echo "FAIL: no Kosmos.Dashboard.dll in $out" >&2; exit 1; }
found="$(find "$out" \( -iname '*KubeSim*' -o -path '*/deploy/agents*' \) -print)"
if [ -n "$found" ]; then
  echo "FAIL: the production publish output holds simulator files:" >&2
  echo "$found" >&2
  exit 1
fi
if grep -q 'Kosmos.KubeSim' "$out/Kosmos.Dashboard.deps.json"; then
  echo "FAIL: Kosmos.Dashboard.deps.json names Kosmos.KubeSim" >&2
  exit 1
fi
echo "OK: $(find "$out" -type f | wc -l) files published; no simulator assembly, manifests or dependency entry"
