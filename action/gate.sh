#!/usr/bin/env bash
# Gate step of action.yml: fail the job when the scan found something at or above the level.
set -euo pipefail
case "${EXIT_CODE:-}" in
  0) echo "env-audit: nothing at or above ${INPUT_FAIL_ON:-the level}" ;;
  1) echo "env-audit: packages at or above ${INPUT_FAIL_ON:-the level} (see the annotations, the job summary and code scanning)"; exit 1 ;;
  *) echo "env-audit: could not run (exit ${EXIT_CODE:-none})"; exit 2 ;;
esac
