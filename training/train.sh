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
# Flags given to every dermlens_train stage, after the recipe's own (they win), e.g. small data
# and sizes for the smoke run in tests/test_train_sh.py. Empty for a real reproduction.
read -r -a every <<< "${DERMLENS_TRAIN_FLAGS:-}"
runs="$cache/runs"
mkdir -p "$cache"
epochs_of() { # a run's epochs so far (0 when it has none)
  .venv/bin/python -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["epochs"]))' \
    "$runs/$1/log.json" 2>/dev/null || echo 0
}
# Each stage's wall time goes to <cache>/reproduction-<role>.jsonl, so that a reproduction says how
# long it took (`devtools reproduction`; a start line with no end line is a call that was stopped).
timed() { # role, stage (its run's name), command...
  local log="$cache/reproduction-$1.jsonl" stage=$2 before start
  shift 2
  before=$(epochs_of "$stage")
  start=$(date +%s.%N)
  printf '{"started": "%s", "epochsBefore": %d}\n' "$stage" "$before" >> "$log"
  "$@"
  printf '{"stage": "%s", "seconds": %.1f, "epochsBefore": %d, "epochsAfter": %d}\n' "$stage" \
    "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$before" "$(epochs_of "$stage")" >> "$log"
}
for role in $([ "$target" = all ] && echo "accurate fast" || echo "$target"); do
  printf '{"call": "%s", "machine": "%s"}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)" >> "$cache/reproduction-$role.jsonl"
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
      timed fast "$name" .venv/bin/python -m dermlens_train train --role accurate --model-id "$name" --epochs 5 \
        ${spec#*:} --resume "${every[@]}"
      teachers="$teachers${teachers:+,}$cache/runs/$name/best.pt"
    done
    timed fast p3-fast .venv/bin/python -m dermlens_train train --role fast --model-id p3-fast \
      --teacher "$teachers" --epochs 13 --patience 100 --resume "${every[@]}"
    timed fast derm-fast-28 .venv/bin/python -m dermlens_train all --role fast --init "$runs/p3-fast/best.pt" \
      --epochs 3 --lr 1e-3 --teacher "$teachers" --patience 100 "${every[@]}" "$@"
  else
    # derm-lite0-128 4.0.0 is a weight average ("model soup", EXPERIMENTS.md, tenth and eleventh
    # sessions; the three 128 px runs ran on a lent GPU, the same code with --device cuda): three
    # networks of one seed, 12 epochs planned (two stopped after 10 by the GPU call's deadline);
    # their uniform soup trained 2 more epochs at lr 5e-4 (p5-soup); then the greedy soup of
    # t10-p1-f0, p5-soup and t10-p1-nofade, calibrated, gated, evaluated and exported.
    # Extra flags go to every stage after the soup; --resume keeps finished runs.
    # name:last epoch:flags. A run ends after its last epoch even when resumed (--stop-after counts
    # the epochs of one call, so it is given what is left).
    for spec in "t10-p1-f0:10:--freeze 0" "t10-p1-f5:10:" "t10-p1-nofade:12:--fade-surround 0"; do
      name="${spec%%:*}" rest="${spec#*:}"
      last="${rest%%:*}" flags="${rest#*:}"
      done_epochs=$(epochs_of "$name")
      [ "$done_epochs" -ge "$last" ] && continue
      # shellcheck disable=SC2086  # the recipe's flags, split on purpose
      timed accurate "$name" .venv/bin/python -m dermlens_train train --role accurate --model-id "$name" --epochs 12 \
        $flags --stop-after $((last - done_epochs)) --resume "${every[@]}"
    done
    ingredient() { echo "--ingredient $1=$runs/$1/best.pt"; }
    # shellcheck disable=SC2046  # one flag and its value per ingredient
    timed accurate soup-p1 .venv/bin/python -m dermlens_train.devtools soup-save --run-dir "$runs/soup-p1" \
      $(ingredient t10-p1-f0) $(ingredient t10-p1-f5) $(ingredient t10-p1-nofade)
    timed accurate p5-soup .venv/bin/python -m dermlens_train train --role accurate --model-id p5-soup \
      --init "$runs/soup-p1/best.pt" --freeze 0 --epochs 2 --lr 5e-4 --resume "${every[@]}"
    # shellcheck disable=SC2046
    timed accurate derm-lite0-128 .venv/bin/python -m dermlens_train.devtools soup-save \
      --run-dir "$runs/derm-lite0-128" $(ingredient t10-p1-f0) $(ingredient p5-soup) $(ingredient t10-p1-nofade) \
      --earlier "t10-p1-f5=$runs/t10-p1-f5"
    for stage in calibrate gate evaluate export; do
      timed accurate "$stage" .venv/bin/python -m dermlens_train "$stage" --role accurate "${every[@]}" "$@"
    done
  fi
done
.venv/bin/python -m dermlens_train.devtools readme
