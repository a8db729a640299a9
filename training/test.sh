#!/usr/bin/env bash
# The training package's tests (part of `npm test`). Needs node_modules for the TF.js parity tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup.sh"
cd "$here"
.venv/bin/python -m pytest -q -rs tests
