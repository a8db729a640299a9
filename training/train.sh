#!/usr/bin/env bash
# Reproduces a shipped model from scratch: train, calibrate, evaluate, export into model/<model-id>/.
# Usage: bash training/train.sh accurate|fast|all [extra flags for python -m dermlens_train all]
# Checkpoints go to ~/.cache/dermlens/runs/<model-id>/ (DERMLENS_CACHE overrides); add --resume to
# continue a run that was stopped. The fast model is distilled from its own teacher run (below).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup.sh"
target="${1:?usage: train.sh accurate|fast|all}"
shift
cd "$here"
cache="${DERMLENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dermlens}"
for role in $([ "$target" = all ] && echo "accurate fast" || echo "$target"); do
  if [ "$role" = fast ]; then
    # derm-fast-28 was distilled from derm-lite0-128 v2.0.0: the accurate recipe before the surround
    # fade (seed 1234). Train that teacher first with its own recipe (extra flags are the student's;
    # --resume: a finished run is kept, a stopped one continues), then the student.
    .venv/bin/python -m dermlens_train train --role accurate --model-id derm-lite0-128-v2 --fade-surround 0 --resume
    .venv/bin/python -m dermlens_train all --role fast --teacher "$cache/runs/derm-lite0-128-v2/best.pt" "$@"
  else
    .venv/bin/python -m dermlens_train all --role "$role" "$@"
  fi
done
.venv/bin/python -m dermlens_train.devtools readme
