#!/usr/bin/env bash
# npm test: every test, from nothing. Builds surge, makes sure a Docker engine and the local test images are
# there (scripts/engine.sh) and Podman's Docker API beside it (scripts/podman.sh), then runs the unit and the
# real-engine suites.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
bash scripts/engine.sh
bash scripts/podman.sh
exec npx vitest run "$@"
