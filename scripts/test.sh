#!/usr/bin/env bash
# npm test: every test, from nothing. Builds surge, makes sure a Docker engine and the local test images are
# there (scripts/engine.sh), then runs the unit and the real-engine suites.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
bash scripts/engine.sh
exec npx vitest run "$@"
