#!/usr/bin/env bash
# npm run quickstart: surge's main job on a machine with only Node.js — bring up examples/bolt/quickstart.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/cli/main.js ] || npm run --silent build
surge() { node dist/cli/main.js -f examples/bolt/quickstart/Boltfile.toml "$@"; }
if [ "${1:-}" = "down" ]; then
  surge down
  exit
fi
surge up --wait
echo
surge ps
cat <<'MSG'

The quickstart is up: three host processes (api, worker, web) run by surge.
  Open      http://127.0.0.1:8080
  Logs      node dist/cli/main.js -f examples/bolt/quickstart/Boltfile.toml logs -f
  Take down npm run quickstart:down
MSG
