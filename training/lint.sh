#!/usr/bin/env bash
# The training package's lint (part of `npm run lint`): ruff (lint + format) and mypy --strict.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup.sh"
cd "$here"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
