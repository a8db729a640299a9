#!/usr/bin/env bash
# Reproduces a shipped model from scratch: train, calibrate, evaluate, export into model/<model-id>/.
# Usage: bash training/train.sh accurate|fast|all [extra flags for python -m dermlens_train all]
# Checkpoints go to ~/.cache/dermlens/runs/<model-id>/ (DERMLENS_CACHE overrides); add --resume to
# continue a run that was stopped. The fast model is distilled from its own teacher runs (below).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/setup.sh"
target="${1:?usage: train.sh accurate|fast|all}"
shift
cd "$here"
cache="${DERMLENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dermlens}"
for role in $([ "$target" = all ] && echo "accurate fast" || echo "$target"); do
  if [ "$role" = fast ]; then
    # derm-fast-28 3.0.0 was made in three stages (EXPERIMENTS.md, ninth session; the first two ran
    # on a lent GPU, the same code with --device cuda): three 128 px networks of 5 epochs each
    # (seed 1234: the accurate recipe, every layer trained, no surround fade); a student taught by
    # the three as an ensemble for 13 epochs; then a second cycle of 3 epochs at lr 1e-3 from that
    # student's best. Extra flags are the last stage's; --resume keeps finished runs.
    teachers=""
    for spec in "p1-f5:" "p1-f0:--freeze 0" "p1-nofade:--fade-surround 0"; do
      name="${spec%%:*}"
      # shellcheck disable=SC2086  # the recipe's flags, split on purpose
      .venv/bin/python -m dermlens_train train --role accurate --model-id "$name" --epochs 5 ${spec#*:} --resume
      teachers="$teachers${teachers:+,}$cache/runs/$name/best.pt"
    done
    .venv/bin/python -m dermlens_train train --role fast --model-id p3-fast --teacher "$teachers" --epochs 13 \
      --patience 100 --resume
    .venv/bin/python -m dermlens_train all --role fast --init "$cache/runs/p3-fast/best.pt" --epochs 3 --lr 1e-3 \
      --teacher "$teachers" --patience 100 "$@"
  else
    .venv/bin/python -m dermlens_train all --role "$role" "$@"
  fi
done
.venv/bin/python -m dermlens_train.devtools readme
