#!/usr/bin/env bash
# Scan step of action.yml: runs the local binary and records its exit code as the step output
# "exit-code", so the SARIF upload still happens before the gate step fails the job.
set -uo pipefail
args=(scan "${INPUT_PATH:-.}" --fail-on "${INPUT_FAIL_ON:-high}")
[ -n "${INPUT_SARIF:-}" ] && args+=(--sarif "$INPUT_SARIF")
[ -n "${INPUT_MARKDOWN:-}" ] && args+=(--markdown "$INPUT_MARKDOWN")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_CACHE_DIR:-}" ] && args+=(--cache-dir "$INPUT_CACHE_DIR")
# extra options split on whitespace, never evaluated by the shell
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS"
  args+=("${extra[@]}")
fi
node "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}/bin/env-audit.js" "${args[@]}"
code=$?
echo "exit-code=$code" >> "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
# 2 means env-audit could not run: fail now, there is nothing to upload or gate on
[ "$code" -eq 2 ] && exit 2
exit 0
