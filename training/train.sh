#!/usr/bin/env bash
# Reproduces a shipped model: train, calibrate, evaluate, export into model/ham10000-<size>/.
# Usage: bash training/train.sh 28|128|all [extra flags for python -m dermlens_train all]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup.sh"
target="${1:?usage: train.sh 28|128|all}"
shift
cd "$here"
for size in $([ "$target" = all ] && echo "28 128" || echo "$target"); do
  .venv/bin/python -m dermlens_train all --size "$size" "$@"
done
