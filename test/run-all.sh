#!/usr/bin/env bash
# The README's test command (npm run test:all): the fast suite, then the environment and the
# integration suite. Both suites run and report whatever the other did; the exit status is
# non-zero when either failed (or the environment could not be started).
set -uo pipefail
cd "$(dirname "$0")/.."
up="${GSI_ENV_UP:-test/integration/env/up.sh}"

npm test
unit=$?
if bash "$up"; then
  npm run test:integration
  integration=$?
else
  echo "test:all: the integration environment did not start ($up): integration suite not run" >&2
  integration=1
fi
echo "test:all: unit and component suite $([ "$unit" = 0 ] && echo passed || echo FAILED), integration suite $([ "$integration" = 0 ] && echo passed || echo FAILED)"
[ "$unit" = 0 ] && [ "$integration" = 0 ]
