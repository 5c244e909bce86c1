#!/usr/bin/env bash
# Install step of action.yml: env-audit's own dependencies from its lockfile, with no install
# scripts, then the build. Skipped when the checkout is already built (a re-run, or the tests).
set -euo pipefail
cd "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
if [ -f dist/src/cli/main.js ] && [ -d node_modules/acorn ]; then
  echo "env-audit: already installed and built in $GITHUB_ACTION_PATH"
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund
npm run build
