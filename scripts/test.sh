#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every unit and end-to-end test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift test
